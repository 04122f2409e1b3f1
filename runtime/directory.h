// Directory: the cluster's named actors (name -> actor id and type name).
// The head holds the authoritative one; in embedded mode it is local.
#ifndef OLSGD_RUNTIME_DIRECTORY_H_
#define OLSGD_RUNTIME_DIRECTORY_H_

#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "runtime/error.h"
#include "runtime/ids.h"

namespace olsgd::rt::detail {

class Directory {
 public:
  struct Entry {
    ActorId id;
    std::string type_name;
  };
  // kAlreadyExists if the name is taken by another actor.
  Status Register(const std::string& name, ActorId id, const std::string& type_name);
  // Removes the name if it still belongs to `id`.
  void Unregister(const std::string& name, ActorId id);
  // Removes every name of actors on `node`.
  void RemoveNode(NodeId node);
  std::optional<Entry> Find(const std::string& name) const;
  bool NameOf(ActorId id, std::string* name) const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> by_name_;
  std::unordered_map<ActorId, std::string> by_id_;
};

}  // namespace olsgd::rt::detail

#endif  // OLSGD_RUNTIME_DIRECTORY_H_
