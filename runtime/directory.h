// Directory: the cluster's named actors (name -> actor id and type name).
// The head holds the authoritative one; in embedded mode it is local.
#ifndef OLSGD_RUNTIME_DIRECTORY_H_
#define OLSGD_RUNTIME_DIRECTORY_H_

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "runtime/error.h"
#include "runtime/ids.h"
#include "runtime/mutex.h"

namespace olsgd::rt::detail {

class Directory {
 public:
  struct Entry {
    ActorId id;
    std::string type_name;
  };
  // kAlreadyExists if the name is taken by another actor.
  Status Register(const std::string& name, ActorId id, const std::string& type_name) EXCLUDES(mu_);
  // Removes the name if it still belongs to `id`.
  void Unregister(const std::string& name, ActorId id) EXCLUDES(mu_);
  // Removes every name of actors on `node`.
  void RemoveNode(NodeId node) EXCLUDES(mu_);
  std::optional<Entry> Find(const std::string& name) const EXCLUDES(mu_);
  bool NameOf(ActorId id, std::string* name) const EXCLUDES(mu_);

 private:
  mutable Mutex mu_{LockRank::kDirectory};
  std::unordered_map<std::string, Entry> by_name_ GUARDED_BY(mu_);  // the names
  std::unordered_map<ActorId, std::string> by_id_ GUARDED_BY(mu_);  // the same, by actor
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_DIRECTORY_H_
