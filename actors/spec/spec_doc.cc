#include "actors/spec/spec_doc.h"

#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "actors/spec/format_number.h"
#include "actors/spec/spec_visit.h"

namespace olsgd::actors {
namespace {

template <class T>
std::string TypeName() {
  if constexpr (std::is_same_v<T, bool>) {
    return "bool";
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    return "uint";
  } else if constexpr (std::is_integral_v<T>) {
    return "int";
  } else if constexpr (std::is_floating_point_v<T>) {
    return "float";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "string";
  } else if constexpr (SpecEnum<T>) {
    std::string s;
    for (const auto& n : EnumNames<T>::kNames) {
      s += (s.empty() ? "`" : " \\| `") + std::string(n.name) + "`";
    }
    return s;
  } else {
    return "list of " + TypeName<typename T::value_type>();
  }
}

template <class T>
std::string ValueText(const T& v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else if constexpr (std::is_integral_v<T>) {
    return std::to_string(v);
  } else if constexpr (std::is_floating_point_v<T>) {
    return FormatNumber(v);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return v.empty() ? "\"\"" : v;
  } else if constexpr (SpecEnum<T>) {
    return std::string(NameOf(v));
  } else {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + ValueText(v[i]);
    return s + "]";
  }
}

// One table's rows; nested sections add rows with a dotted prefix.
class Rows {
 public:
  explicit Rows(std::ostringstream& out, std::string prefix = "")
      : out_(out), prefix_(std::move(prefix)) {}

  template <class T>
  void Field(const char* key, const T& value, const FieldInfo& info) {
    out_ << "| `" << prefix_ << key << "` | " << TypeName<T>() << " | `" << ValueText(value)
         << "` | " << info.doc << " |\n";
  }
  template <class S>
  void Section(const char* key, const S& section, const FieldInfo&) {
    Rows nested(out_, prefix_ + key + ".");
    WalkFields(section, nested);
  }
  template <class S>
  void List(const char*, const std::vector<S>&, const FieldInfo&) {}  // own table

 private:
  std::ostringstream& out_;
  std::string prefix_;
};

constexpr const char* kHeader = "| key | type | default | meaning |\n|---|---|---|---|\n";

// The tables of a section's lists, each after a line that introduces it.
class ListTables {
 public:
  explicit ListTables(std::ostringstream& out) : out_(out) {}

  template <class T>
  void Field(const char*, const T&, const FieldInfo&) {}
  template <class S>
  void Section(const char*, const S&, const FieldInfo&) {}
  template <class S>
  void List(const char* key, const std::vector<S>&, const FieldInfo& info) {
    out_ << "\n`" << key << "` is a list of " << info.doc << "; each item:\n\n" << kHeader;
    Rows rows(out_);
    const S defaults{};
    WalkFields(defaults, rows);
  }

 private:
  std::ostringstream& out_;
};

// The document: the top-level fields, then a heading per section with the
// table of its fields and the tables of its lists.
class Tables {
 public:
  template <class T>
  void Field(const char* key, const T& value, const FieldInfo& info) {
    top_.Field(key, value, info);
  }
  template <class S>
  void Section(const char* key, const S& section, const FieldInfo& info) {
    sections_ << "\n### `" << key << "`: " << info.doc << "\n";
    std::ostringstream rows;
    Rows r(rows);
    WalkFields(section, r);
    if (!rows.str().empty()) sections_ << "\n" << kHeader << rows.str();
    ListTables lists(sections_);
    WalkFields(section, lists);
  }
  template <class S>
  void List(const char*, const std::vector<S>&, const FieldInfo&) {}  // none at the top

  std::string Text() const {
    return "### top level\n\n" + std::string(kHeader) + top_rows_.str() + sections_.str();
  }

 private:
  std::ostringstream top_rows_;
  Rows top_{top_rows_};
  std::ostringstream sections_;
};

}  // namespace

std::string KeyTablesMarkdown() {
  const ExperimentSpec defaults;
  Tables t;
  WalkFields(defaults, t);
  return t.Text();
}

}  // namespace olsgd::actors
