#include "actors/algorithms/slice_reducer.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <stdexcept>

#include "trainer/algorithms.h"

namespace olsgd::actors {
namespace {
constexpr int64_t kDropped = std::numeric_limits<int64_t>::max();
}  // namespace

SliceReducer::SliceReducer(std::unique_ptr<ReducerHalf> half, int workers, size_t slice_size)
    : half_(std::move(half)),
      slice_size_(slice_size),
      member_from_(static_cast<size_t>(std::max(workers, 0)), 0) {
  if (workers < 1) throw std::invalid_argument("SliceReducer: workers must be >= 1");
}

int SliceReducer::live_workers() const {
  return static_cast<int>(member_from_.size()) -
         static_cast<int>(std::count(member_from_.begin(), member_from_.end(), kDropped));
}

bool SliceReducer::Counts(int worker, int64_t round) const {
  return worker >= 0 && static_cast<size_t>(worker) < member_from_.size() &&
         round >= member_from_[worker];
}

bool SliceReducer::Member(int worker) const {
  return worker >= 0 && static_cast<size_t>(worker) < member_from_.size() &&
         member_from_[worker] != kDropped;
}

bool SliceReducer::Complete(int64_t round, const Pending& p) const {
  for (size_t w = 0; w < member_from_.size(); ++w) {
    if (Counts(static_cast<int>(w), round) && p.by_worker[w].empty()) return false;
  }
  return true;
}

bool SliceReducer::Add(int64_t round, int worker, std::span<const float> contribution, float lr) {
  if (worker < 0 || static_cast<size_t>(worker) >= member_from_.size()) {
    throw std::invalid_argument("SliceReducer: worker " + std::to_string(worker) +
                                " out of range [0, " + std::to_string(member_from_.size()) + ")");
  }
  if (contribution.size() != slice_size_) {
    throw std::invalid_argument("SliceReducer: contribution of worker " + std::to_string(worker) +
                                " has " + std::to_string(contribution.size()) +
                                " floats, expected " + std::to_string(slice_size_));
  }
  Pending& p = pending_[round];
  if (p.by_worker.empty()) p.by_worker.resize(member_from_.size());
  if (!p.by_worker[worker].empty()) {
    throw std::invalid_argument("SliceReducer: duplicate contribution of worker " +
                                std::to_string(worker) + " to round " + std::to_string(round));
  }
  p.by_worker[worker].assign(contribution.begin(), contribution.end());
  p.lr = lr;
  ++p.arrived;
  return Complete(round, p);
}

std::vector<float> SliceReducer::Reduce(int64_t round) {
  auto it = pending_.find(round);
  assert(it != pending_.end() && Complete(round, it->second));
  Pending p = std::move(it->second);
  pending_.erase(it);

  // Combined in worker order: the same bits whatever order the messages came
  // in. The math is the algorithm's reducer half (docs/ALGORITHMS.md).
  std::vector<std::span<const float>> in;
  in.reserve(p.by_worker.size());
  for (const auto& c : p.by_worker) {
    if (!c.empty()) in.emplace_back(c);
  }
  std::vector<float> out(slice_size_);
  half_->Combine(in, p.lr, out);
  return out;
}

void SliceReducer::Restore(const HalfState& s) {
  half_->Restore(s);
  pending_.clear();
}

void SliceReducer::DropWorker(int worker) {
  if (worker >= 0 && static_cast<size_t>(worker) < member_from_.size()) {
    member_from_[worker] = kDropped;
  }
}

void SliceReducer::Readmit(int worker, int64_t from_round) {
  if (worker < 0 || static_cast<size_t>(worker) >= member_from_.size()) {
    throw std::invalid_argument("SliceReducer: readmitted worker " + std::to_string(worker) +
                                " out of range [0, " + std::to_string(member_from_.size()) + ")");
  }
  member_from_[worker] = from_round;
}

std::vector<int64_t> SliceReducer::CompleteRounds() const {
  std::vector<int64_t> rounds;
  for (const auto& [round, p] : pending_) {
    if (Complete(round, p)) rounds.push_back(round);
  }
  return rounds;
}

void SliceReducer::DiscardBefore(int64_t round) {
  pending_.erase(pending_.begin(), pending_.lower_bound(round));
}

}  // namespace olsgd::actors
