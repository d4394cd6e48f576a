// bzpeer — the word lists behind keyphrase candidates: stop words (which end a
// candidate run) and generic phrases (never a keyphrase). Written for scholarly
// abstracts: English function words, plus the verbs and evaluative adjectives that
// abstracts use around their content ("we present", "novel", "proposed").
#include <algorithm>
#include <array>
#include <string_view>

#include "pipeline/topics/keyphrases.hpp"

namespace bzpeer::topics {
namespace {

// Sorted (checked by a unit test through is_stop_word on every entry).
// clang-format off
constexpr std::array kStopWords = std::to_array<std::string_view>({
    "a", "about", "above", "accomplish", "accomplishes", "according", "accordingly", "achieve",
    "achieves", "across", "actually", "after", "afterwards", "again", "against", "aim", "aims",
    "al", "all", "allow", "allowed", "allowing", "allows", "almost", "alone", "along", "already",
    "also", "although", "always", "am", "among", "amongst", "an", "and", "another", "any", "anyhow",
    "anyone", "anything", "anyway", "anywhere", "appear", "appears", "applied", "applies", "apply",
    "applying", "are", "arise", "arises", "around", "as", "aside", "at", "attempt", "attempts",
    "based", "be", "became", "because", "become", "becomes", "becoming", "been", "before",
    "beforehand", "behind", "being", "believe", "believes", "belong", "belongs", "below", "beside",
    "besides", "best", "better", "between", "beyond", "both", "but", "by", "can", "cannot",
    "certain", "certainly", "clearly", "compared", "comparing", "consider", "considered",
    "considering", "considers", "consist", "consists", "contain", "contains", "contribute",
    "contributes", "correspond", "corresponds", "could", "create", "creates", "currently", "deal",
    "deals", "define", "defines", "demonstrate", "demonstrated", "demonstrates", "depend",
    "depends", "derive", "derives", "describe", "described", "describes", "describing", "despite",
    "determine", "determines", "develop", "develops", "did", "differ", "different", "differs",
    "discover", "discovers", "discuss", "discussed", "discusses", "do", "does", "doing", "done",
    "down", "due", "during", "each", "easily", "eg", "either", "else", "elsewhere", "enable",
    "enables", "enhance", "enhances", "enough", "ensure", "ensures", "especially", "establish",
    "establishes", "et", "etc", "even", "ever", "every", "everything", "everywhere", "example",
    "except", "exist", "exists", "explain", "explains", "explore", "explores", "extend", "extends",
    "facilitate", "facilitates", "fail", "fails", "far", "few", "fewer", "finally", "find", "finds",
    "first", "five", "following", "for", "former", "formerly", "found", "four", "from", "further",
    "furthermore", "gave", "generally", "generate", "generates", "get", "gets", "give", "given",
    "gives", "giving", "got", "had", "has", "have", "having", "he", "hence", "her", "here",
    "hereby", "herein", "hers", "herself", "him", "himself", "his", "how", "however", "identifies",
    "identify", "ie", "if", "illustrate", "illustrates", "implement", "implements", "important",
    "improve", "improves", "in", "include", "includes", "including", "incorporate", "incorporates",
    "indeed", "indicate", "indicates", "instead", "into", "introduce", "introduced", "introduces",
    "investigate", "investigates", "involve", "involves", "is", "it", "its", "itself", "just",
    "known", "last", "lately", "latter", "least", "less", "let", "like", "likely", "made", "mainly",
    "maintain", "maintains", "make", "makes", "making", "many", "may", "me", "might", "more",
    "moreover", "most", "mostly", "motivate", "motivates", "much", "must", "my", "namely", "near",
    "nearly", "necessary", "need", "needed", "needs", "neither", "never", "nevertheless", "new",
    "next", "nine", "no", "nobody", "none", "nor", "not", "nothing", "novel", "now", "nowadays",
    "nowhere", "obtain", "obtained", "obtaining", "obtains", "occur", "occurs", "of", "off",
    "often", "on", "once", "one", "ones", "only", "onto", "or", "other", "others", "otherwise",
    "ought", "our", "ours", "ourselves", "out", "outperform", "outperforms", "over", "overall",
    "own", "paper", "particular", "particularly", "per", "performed", "perhaps", "permit",
    "permits", "possible", "predict", "predicts", "present", "presented", "presenting", "presents",
    "previous", "previously", "produce", "produces", "propose", "proposed", "proposes", "proposing",
    "prove", "proves", "provide", "provided", "provides", "providing", "quite", "rather", "reach",
    "reaches", "really", "receive", "receives", "recent", "recently", "reduce", "reduces",
    "reflect", "reflects", "regarding", "related", "relatively", "relies", "rely", "remain",
    "remains", "require", "requires", "reside", "resides", "respectively", "resulting", "reveal",
    "reveals", "said", "same", "satisfies", "satisfy", "second", "see", "seek", "seeks", "seem",
    "seemed", "seems", "seen", "serve", "serves", "several", "shall", "she", "should", "show",
    "showed", "showing", "shown", "shows", "significantly", "similar", "similarly", "since", "six",
    "so", "solve", "solves", "some", "somehow", "something", "sometimes", "somewhat", "somewhere",
    "still", "studied", "studies", "study", "succeed", "succeeds", "such", "suffer", "suffers",
    "suggest", "suggested", "suggests", "suitable", "take", "taken", "takes", "ten", "tend",
    "tends", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "thence",
    "there", "thereafter", "thereby", "therefore", "therein", "thereof", "these", "they", "third",
    "this", "those", "though", "three", "through", "throughout", "thus", "to", "today", "together",
    "too", "toward", "towards", "tries", "try", "two", "typically", "under", "understand",
    "understands", "unless", "until", "up", "upon", "us", "use", "used", "uses", "using", "usually",
    "utilize", "utilizes", "various", "very", "via", "want", "wants", "was", "we", "well", "were",
    "what", "whatever", "when", "whence", "whenever", "where", "whereas", "whereby", "wherein",
    "whether", "which", "while", "whilst", "who", "whoever", "whole", "whom", "whose", "why",
    "will", "wish", "wishes", "with", "within", "without", "would", "yet", "you", "your", "yours",
});
// clang-format on

// Stem keys of phrases that say nothing about a work's subject.
// clang-format off
constexpr std::array kGenericKeys = std::to_array<std::string_view>({
    "advantag", "analysi", "approach", "articl", "aspect", "author", "case", "class",
    "comparison", "conclus", "condit", "contribut", "data", "effect", "evalu", "evid", "exampl",
    "experi", "experiment result", "fact", "featur", "field", "form", "framework", "futur work",
    "goal", "good agreement", "high", "idea", "impact", "issu", "kind", "larg number", "level",
    "low", "method", "methodolog", "model", "number", "numer result", "order", "part",
    "perform", "point", "problem", "procedur", "process", "properti", "purpos", "question",
    "rang", "result", "role", "set", "simul result", "solut", "studi", "system", "task",
    "techniqu", "term", "theori", "time", "tool", "type", "use", "valu", "variou", "way",
    "wide rang", "work", "year",
});
// clang-format on

}  // namespace

bool is_stop_word(std::string_view word) {
  return std::ranges::binary_search(kStopWords, word);
}

bool is_generic_key(std::string_view key) {
  return std::ranges::binary_search(kGenericKeys, key);
}

}  // namespace bzpeer::topics
