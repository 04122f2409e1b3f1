// Walking the experiment's fields (experiment_spec.h). A consumer (the YAML
// loader, the dumper, JSON, the fingerprint, the key tables) provides
//   void Field(const char* key, T& value, const FieldInfo& info);     // scalar, enum or list of
//   scalars void Section(const char* key, S& section, const FieldInfo& info); // a nested mapping
//   void List(const char* key, std::vector<S>& items, const FieldInfo& info);  // list of mappings
// and calls WalkFields(section, *this) again inside Section and List to go
// down. Works on const specs too (T, S const).
#ifndef OLSGD_ACTORS_SPEC_SPEC_VISIT_H_
#define OLSGD_ACTORS_SPEC_SPEC_VISIT_H_

#include <type_traits>
#include <vector>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

// A struct declared with OLSGD_SPEC_SECTION.
template <class T>
concept SpecSection = requires(T& t) {
  VisitFields(t, [](const char*, auto&, const FieldInfo&) {});
};

template <class T>
struct IsSectionList : std::false_type {};
template <SpecSection S>
struct IsSectionList<std::vector<S>> : std::true_type {};

template <class S, class Consumer>
void WalkFields(S& section, Consumer& c) {
  VisitFields(section, [&](const char* key, auto& value, const FieldInfo& info) {
    using T = std::remove_const_t<std::remove_reference_t<decltype(value)>>;
    if constexpr (SpecSection<T>) {
      c.Section(key, value, info);
    } else if constexpr (IsSectionList<T>::value) {
      c.List(key, value, info);
    } else {
      c.Field(key, value, info);
    }
  });
}

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_SPEC_VISIT_H_
