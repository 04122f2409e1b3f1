// "Did you mean" suggestions for misspelt keys and values.
#ifndef OLSGD_CLI_CONFIG_SUGGEST_H_
#define OLSGD_CLI_CONFIG_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace olsgd::cli {

// Levenshtein edit distance (insertions, deletions, substitutions).
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word`, or "" when none is close enough to be a
// plausible typo (distance at most max(2, |word| / 3)).
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" when there is no close candidate.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c": the candidates joined for "must be one of ..." messages.
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace olsgd::cli

#endif  // OLSGD_CLI_CONFIG_SUGGEST_H_
