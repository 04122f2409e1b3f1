#include "runtime/directory.h"

namespace olsgd::rt::detail {

Status Directory::Register(const std::string& name, ActorId id, const std::string& type_name) {
  MutexLock lock(mu_);
  auto [it, inserted] = by_name_.emplace(name, Entry{id, type_name});
  if (!inserted && it->second.id != id) {
    return Error{ErrorCode::kAlreadyExists,
                 "actor name '" + name + "' is already taken by " + it->second.id.ToString()};
  }
  by_id_[id] = name;
  return OkStatus();
}

void Directory::Unregister(const std::string& name, ActorId id) {
  MutexLock lock(mu_);
  auto it = by_name_.find(name);
  if (it != by_name_.end() && it->second.id == id) by_name_.erase(it);
  auto jt = by_id_.find(id);
  if (jt != by_id_.end() && jt->second == name) by_id_.erase(jt);
}

void Directory::RemoveNode(NodeId node) {
  MutexLock lock(mu_);
  for (auto it = by_name_.begin(); it != by_name_.end();) {
    if (it->second.id.node() == node) {
      by_id_.erase(it->second.id);
      it = by_name_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<Directory::Entry> Directory::Find(const std::string& name) const {
  MutexLock lock(mu_);
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

bool Directory::NameOf(ActorId id, std::string* name) const {
  MutexLock lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return false;
  *name = it->second;
  return true;
}

}  // namespace olsgd::rt::detail
