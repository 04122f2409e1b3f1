// What the declaration of one experiment field says besides its type, name
// and default (experiment_spec.h): its documentation, whether a checkpoint
// must be resumed with the same value, and the bounds a config value must
// respect. Every consumer of the spec (the YAML loader and its errors, the
// JSON sent to remote trainers, the checkpoint fingerprint, the key tables of
// config/README.md) reads it from there.
#ifndef OLSGD_ACTORS_SPEC_FIELD_INFO_H_
#define OLSGD_ACTORS_SPEC_FIELD_INFO_H_

#include <limits>
#include <string_view>

namespace olsgd::actors {

// A numeric bound on a field (on each element of a list field).
struct Bound {
  double value = 0;
  bool open = false;  // excludes `value` itself
};

struct FieldInfo {
  std::string_view doc;
  bool fingerprint = false;  // part of the checkpoint fingerprint
  bool has_lo = false, has_hi = false;
  Bound lo, hi;

  // A checkpoint made with one value cannot be resumed with another.
  constexpr FieldInfo Fingerprint() const {
    FieldInfo f = *this;
    f.fingerprint = true;
    return f;
  }
  // value >= lo.
  constexpr FieldInfo AtLeast(double lo_value) const {
    FieldInfo f = *this;
    f.has_lo = true;
    f.lo = {lo_value, false};
    return f;
  }
  // value > 0.
  constexpr FieldInfo Positive() const {
    FieldInfo f = *this;
    f.has_lo = true;
    f.lo = {0, true};
    return f;
  }
  // lo <= value <= hi, each end open (excluded) if asked.
  constexpr FieldInfo InRange(double lo_value, double hi_value, bool open_lo = false,
                              bool open_hi = false) const {
    FieldInfo f = *this;
    f.has_lo = f.has_hi = true;
    f.lo = {lo_value, open_lo};
    f.hi = {hi_value, open_hi};
    return f;
  }
};

// Starts a field's declaration: Doc("what it means").AtLeast(1).Fingerprint().
constexpr FieldInfo Doc(std::string_view doc) { return FieldInfo{doc}; }

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_SPEC_FIELD_INFO_H_
