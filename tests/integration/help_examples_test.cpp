// Every verb's --help ends with examples, and the bash completion offers each verb and the
// quarantine verb's own words. Runs the real binary and a real bash.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>

namespace {

struct CmdResult {
  int code = -1;
  std::string out;
};

CmdResult sh(const std::string& cmd) {
  CmdResult r;
  FILE* pipe = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string bzpeer() {
  return std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer";
}

/// The subcommands a --help text lists (CLI11: a "Subcommands:" block of indented names).
std::vector<std::string> subcommands(const std::string& help) {
  std::vector<std::string> names;
  const auto at = help.find("Subcommands:\n");
  if (at == std::string::npos) return names;
  static const std::regex line(R"(^  ([a-z][a-z-]*)\s)");
  std::size_t start = at + 13;
  while (start < help.size()) {
    const auto end = help.find('\n', start);
    const std::string l = help.substr(start, end - start);
    std::smatch m;
    if (std::regex_search(l, m, line)) {
      names.push_back(m[1]);
    } else if (!l.empty() && !l.starts_with("    ")) {
      break;  // the end of the block
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return names;
}

/// Lines after "Examples:" (or "Example:") that start with two spaces and "bzpeer" or an
/// environment assignment followed by bzpeer.
int example_lines(const std::string& help) {
  auto at = help.find("Examples:\n");
  if (at == std::string::npos) at = help.find("Example:\n");
  if (at == std::string::npos) return 0;
  static const std::regex example(R"(^  ([A-Z_]+=\S+ )?bzpeer )");
  int n = 0;
  std::size_t start = help.find('\n', at) + 1;
  while (start < help.size()) {
    const auto end = help.find('\n', start);
    const std::string l = help.substr(start, end - start);
    if (!std::regex_search(l, example)) break;
    ++n;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return n;
}

TEST(Help, EveryVerbAndSubverbHasExamples) {
  auto top = sh(bzpeer() + " --help");
  ASSERT_EQ(top.code, 0) << top.out;
  const auto verbs = subcommands(top.out);
  const std::set<std::string> listed(verbs.begin(), verbs.end());
  for (const char* expected : {"harvest", "search", "quarantine", "status", "doctor", "serve"}) {
    EXPECT_TRUE(listed.contains(expected)) << expected << " not in\n" << top.out;
  }
  EXPECT_GE(example_lines(top.out), 1) << top.out;
  for (const auto& verb : verbs) {
    auto help = sh(bzpeer() + " " + verb + " --help");
    ASSERT_EQ(help.code, 0) << verb << "\n" << help.out;
    const int n = example_lines(help.out);
    EXPECT_GE(n, 1) << verb << " --help has no examples:\n" << help.out;
    EXPECT_LE(n, 4) << verb << " --help has too many examples:\n" << help.out;
    for (const auto& sub : subcommands(help.out)) {
      auto sub_help = sh(bzpeer() + " " + verb + " " + sub + " --help");
      ASSERT_EQ(sub_help.code, 0) << verb << " " << sub << "\n" << sub_help.out;
      EXPECT_GE(example_lines(sub_help.out), 1)
          << verb << " " << sub << " --help has no examples:\n"
          << sub_help.out;
    }
  }
}

/// What the completion function offers for the words of `line` (the last one is completed;
/// a trailing space starts a new, empty word).
std::filesystem::path completion_script() {
  return std::filesystem::temp_directory_path() /
         ("bzpeer-complete-" + std::to_string(::getpid()) + ".sh");
}

std::string complete(const std::string& line) {
  const auto script = completion_script();
  if (!std::filesystem::exists(script)) {
    const auto completion = std::filesystem::path(BZPEER_FIXTURES).parent_path().parent_path() /
                            "tools" / "completion" / "bzpeer.bash";
    std::ofstream(script) << "source '" << completion.string() << "'\n"
                          << "read -ra COMP_WORDS <<< \"$1\"\n"
                          << "[[ \"$1\" == *' ' ]] && COMP_WORDS+=('')\n"
                          << "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                          << "_bzpeer\necho \"${COMPREPLY[*]}\"\n";
  }
  std::string words = sh("bash " + script.string() + " '" + line + "'").out;
  while (!words.empty() && words.back() == '\n') words.pop_back();
  return words;
}

TEST(Completion, OffersEveryVerbAndTheQuarantineWords) {
  auto top = sh(bzpeer() + " --help");
  for (const auto& verb : subcommands(top.out)) {
    EXPECT_NE(
        (" " + complete("bzpeer " + verb.substr(0, verb.size() - 1)) + " ").find(" " + verb + " "),
        std::string::npos)
        << verb;
  }
  EXPECT_EQ(complete("bzpeer quarantine "), "list retry --help");
  EXPECT_EQ(complete("bzpeer --config x.toml quarantine list --"), "--source --json --help");
  EXPECT_EQ(complete("bzpeer quarantine retry --source arxiv --"), "--source --help");
  std::filesystem::remove(completion_script());
}

}  // namespace
