// `bzpeer oai identify|formats|sets|get` against the replay server: what an operator sees,
// and the exit codes of an unknown identifier and an OAI error.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "harvest_support.hpp"

namespace bzpeer::it {
namespace {

struct Output {
  int code = -1;
  std::string text;  ///< stdout and stderr
};

Output bzpeer(const std::string& config, const std::string& args) {
  const std::string cmd =
      std::string(BZPEER_BINARY_DIR) + "/tools/bzpeer --config " + config + " " + args + " 2>&1";
  Output out;
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.text.append(buf, n);
  const int status = ::pclose(pipe);
  out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

TEST(OaiVerb, IdentifyFormatsSetsAndGet) {
  auto server = start_replay(sample_pages(), 100);
  TempDir dir("oai-verb");
  const std::string config = (dir.path() / "bzpeer.toml").string();
  std::ofstream(config) << "[storage]\ndir = \"" << (dir.path() / "var").string()
                        << "\"\n[[source]]\nname = \"arxiv\"\nkind = \"oai-pmh\"\nurl = \""
                        << server->base_url() << "\"\nmin_interval_s = 0\n";

  auto identify = bzpeer(config, "oai identify --source arxiv");
  EXPECT_EQ(identify.code, 0) << identify.text;
  EXPECT_NE(identify.text.find("earliestDatestamp  2009-10-13"), std::string::npos)
      << identify.text;
  EXPECT_NE(identify.text.find("granularity        YYYY-MM-DD"), std::string::npos);

  auto formats = bzpeer(config, "oai formats --json");
  EXPECT_EQ(formats.code, 0) << formats.text;
  EXPECT_NE(formats.text.find("{\"prefix\":\"arXivRaw\""), std::string::npos) << formats.text;

  auto sets = bzpeer(config, "oai sets");
  EXPECT_EQ(sets.code, 0) << sets.text;
  EXPECT_NE(sets.text.find("physics:astro-ph:EP"), std::string::npos);

  auto get = bzpeer(config, "oai get oai:arXiv.org:1101.2483");
  EXPECT_EQ(get.code, 0) << get.text;
  EXPECT_NE(get.text.find("WITHDRAWN"), std::string::npos) << get.text;
  EXPECT_NE(get.text.find("<id>1101.2483</id>"), std::string::npos);

  EXPECT_EQ(bzpeer(config, "oai get oai:arXiv.org:9999.00001").code, 66);
  auto wrong = bzpeer(config, "oai get oai:arXiv.org:1101.2483 --format oai_dc");
  EXPECT_EQ(wrong.code, 76);
  EXPECT_NE(wrong.text.find("cannotDisseminateFormat"), std::string::npos) << wrong.text;
  EXPECT_EQ(bzpeer(config, "oai get").code, 64);
  EXPECT_EQ(bzpeer(config, "oai identify --source nope").code, 64);
  // The store is never touched.
  EXPECT_FALSE(fs::exists(dir.path() / "var" / "store.sqlite"));
}

}  // namespace
}  // namespace bzpeer::it
