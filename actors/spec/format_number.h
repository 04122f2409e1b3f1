// Numbers as users write them in configs and messages.
#ifndef OLSGD_ACTORS_SPEC_FORMAT_NUMBER_H_
#define OLSGD_ACTORS_SPEC_FORMAT_NUMBER_H_

#include <string>

namespace olsgd::actors {

// 1.5, 0.25, 0.0001, 1e-05: the shortest round-trip form, plain decimals in
// the usual range and exponents outside it.
std::string FormatNumber(double value);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_FORMAT_NUMBER_H_
