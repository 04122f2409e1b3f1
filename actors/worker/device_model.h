// The simulated devices of a virtual-time run (docs/TIME.md, "Devices"): each
// worker's speed factor and, optionally, the intervals in which it is
// available, from time.device_speeds or a time.device_trace CSV file, the
// way FedScale's device and availability traces describe a population.
#ifndef OLSGD_ACTORS_WORKER_DEVICE_MODEL_H_
#define OLSGD_ACTORS_WORKER_DEVICE_MODEL_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/spec/experiment_spec.h"

namespace olsgd::actors {

struct Device {
  double speed = 1.0;  // factor on time.device_gflops (or on this host, when measured)
  // [from, to) intervals in seconds, increasing; empty = always available.
  std::vector<std::pair<double, double>> available;
};

// The devices of workers 0..workers-1. Throws std::invalid_argument naming
// the key, or the trace file and line, and what was expected.
std::vector<Device> LoadDevices(const TimeSpec& time, int workers);

// Parses one trace line "worker,speed,available" (available: "0-100 200-300",
// or empty). Throws std::invalid_argument with what is wrong.
std::pair<int, Device> ParseDeviceRow(const std::string& line);

// The earliest time >= t at which `d` is available: t itself inside an
// interval, the next interval's start in a gap, nullopt after the last one.
std::optional<double> AvailableFrom(const Device& d, double t);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_WORKER_DEVICE_MODEL_H_
