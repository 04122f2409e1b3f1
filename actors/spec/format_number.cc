#include "actors/spec/format_number.h"

#include <charconv>

namespace olsgd::actors {

std::string FormatNumber(double value) {
  char buf[400];
  const double magnitude = value < 0 ? -value : value;
  const bool fixed = magnitude == 0 || (magnitude >= 1e-5 && magnitude < 1e15);
  auto [ptr, ec] = fixed ? std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed)
                         : std::to_chars(buf, buf + sizeof(buf), value);
  return ec == std::errc() ? std::string(buf, ptr) : std::to_string(value);
}

}  // namespace olsgd::actors
