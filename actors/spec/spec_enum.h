// Enum-valued config keys: each enum lists its config names once
// (EnumNames<E>::kNames), and everything else (parsing at the edge, dumping,
// JSON, error messages that list the choices) goes through these helpers.
#ifndef OLSGD_ACTORS_SPEC_SPEC_ENUM_H_
#define OLSGD_ACTORS_SPEC_SPEC_ENUM_H_

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace olsgd::actors {

// Specialised for every enum that a config key holds:
//   template <> struct EnumNames<OnFailure> {
//     static constexpr std::array kNames = {EnumName{OnFailure::kAbort, "abort"}, ...};
//   };
template <class E>
struct EnumNames;

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

template <class T>
concept SpecEnum = std::is_enum_v<T> && requires {
  EnumNames<T>::kNames;
};

// The config name of `value` ("continue").
template <SpecEnum E>
constexpr std::string_view NameOf(E value) {
  for (const auto& n : EnumNames<E>::kNames) {
    if (n.value == value) return n.name;
  }
  return "?";
}

// The value named `name`, or nullopt.
template <SpecEnum E>
constexpr std::optional<E> ParseEnum(std::string_view name) {
  for (const auto& n : EnumNames<E>::kNames) {
    if (n.name == name) return n.value;
  }
  return std::nullopt;
}

// Every config name of E, in declaration order.
template <SpecEnum E>
std::vector<std::string> EnumNameList() {
  std::vector<std::string> out;
  for (const auto& n : EnumNames<E>::kNames) out.emplace_back(n.name);
  return out;
}

// Prints the config name (test failure messages, logs).
template <SpecEnum E>
std::ostream& operator<<(std::ostream& os, E value) {
  return os << NameOf(value);
}

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_SPEC_ENUM_H_
