// The key tables of config/README.md, generated from the field declarations
// (experiment_spec.h): `olsgd keys` prints them and a test checks that the
// README holds exactly this text.
#ifndef OLSGD_ACTORS_SPEC_SPEC_DOC_H_
#define OLSGD_ACTORS_SPEC_SPEC_DOC_H_

#include <string>

namespace olsgd::actors {

// Markdown: one table per section (key, type, default, meaning), list items
// and nested sections flattened as `jitter.dist`.
std::string KeyTablesMarkdown();

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_SPEC_DOC_H_
