#include "actors/worker/device_model.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "actors/spec/format_number.h"

namespace olsgd::actors {
namespace {

double Number(const std::string& text, const char* what) {
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(v)) {
    throw std::invalid_argument(std::string(what) + " must be a number, got '" + text + "'");
  }
  return v;
}

std::string Trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

}  // namespace

std::pair<int, Device> ParseDeviceRow(const std::string& line) {
  std::vector<std::string> cols;
  std::stringstream in(line);
  for (std::string c; std::getline(in, c, ',');) cols.push_back(Trim(c));
  if (!line.empty() && line.back() == ',') cols.push_back("");
  if (cols.size() < 2 || cols.size() > 3) {
    throw std::invalid_argument("expected worker,speed[,available], got " +
                                std::to_string(cols.size()) + " column(s)");
  }
  const double w = Number(cols[0], "worker");
  if (w < 0 || w != std::floor(w)) {
    throw std::invalid_argument("worker must be a whole number >= 0, got '" + cols[0] + "'");
  }
  Device d;
  d.speed = Number(cols[1], "speed");
  if (!(d.speed > 0)) throw std::invalid_argument("speed must be > 0, got " + cols[1]);
  if (cols.size() == 3) {
    std::stringstream intervals(cols[2]);
    for (std::string iv; intervals >> iv;) {
      const size_t dash = iv.find('-', 1);
      if (dash == std::string::npos) {
        throw std::invalid_argument("an availability interval is from-to (seconds), got '" + iv +
                                    "'");
      }
      const double from = Number(iv.substr(0, dash), "an interval's start");
      const double to = Number(iv.substr(dash + 1), "an interval's end");
      const double prev = d.available.empty() ? -1 : d.available.back().second;
      if (from < 0 || to <= from || from < prev) {
        throw std::invalid_argument(
            "availability intervals must be increasing and non-empty, "
            "got '" +
            iv + "'");
      }
      d.available.emplace_back(from, to);
    }
  }
  return {static_cast<int>(w), d};
}

std::vector<Device> LoadDevices(const TimeSpec& time, int workers) {
  std::vector<Device> devices(static_cast<size_t>(workers));
  if (!time.device_trace.empty()) {
    std::ifstream in(time.device_trace);
    if (!in) {
      throw std::invalid_argument(time.device_trace +
                                  ": cannot read the device trace (time."
                                  "device_trace)");
    }
    std::vector<bool> seen(devices.size(), false);
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      const std::string where = time.device_trace + ":" + std::to_string(line_no) + ": ";
      const std::string t = Trim(line);
      if (t.empty() || t[0] == '#' || t.rfind("worker", 0) == 0) continue;  // header, comments
      std::pair<int, Device> row;
      try {
        row = ParseDeviceRow(t);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(where + e.what());
      }
      if (row.first >= workers) {
        throw std::invalid_argument(where + "worker " + std::to_string(row.first) +
                                    " but the run has " + std::to_string(workers) + " workers");
      }
      if (seen[row.first]) {
        throw std::invalid_argument(where + "worker " + std::to_string(row.first) + " again");
      }
      seen[row.first] = true;
      devices[row.first] = std::move(row.second);
    }
    for (int w = 0; w < workers; ++w) {
      if (!seen[w]) {
        throw std::invalid_argument(time.device_trace + ": no row for worker " + std::to_string(w) +
                                    " (one row per worker)");
      }
    }
    return devices;
  }
  if (!time.device_speeds.empty()) {
    if (static_cast<int>(time.device_speeds.size()) != workers) {
      throw std::invalid_argument("time.device_speeds must list one speed per worker (" +
                                  std::to_string(workers) + "), got " +
                                  std::to_string(time.device_speeds.size()));
    }
    for (int w = 0; w < workers; ++w) devices[w].speed = time.device_speeds[w];
  }
  return devices;
}

std::optional<double> AvailableFrom(const Device& d, double t) {
  if (d.available.empty()) return t;
  for (const auto& [from, to] : d.available) {
    if (t < to) return std::max(t, from);
  }
  return std::nullopt;
}

}  // namespace olsgd::actors
