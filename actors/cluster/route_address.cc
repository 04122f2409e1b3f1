#include "actors/cluster/route_address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace olsgd::actors {

std::string LocalAddressToward(const std::string& tcp_endpoint) {
  const std::string prefix = "tcp://";
  const size_t colon = tcp_endpoint.rfind(':');
  if (tcp_endpoint.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size()) {
    throw std::runtime_error("'" + tcp_endpoint + "' is not a tcp://HOST:PORT address");
  }
  const std::string host = tcp_endpoint.substr(prefix.size(), colon - prefix.size());
  const std::string port = tcp_endpoint.substr(colon + 1);
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  if (const int rc = getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    throw std::runtime_error("cannot resolve '" + host + "' in " + tcp_endpoint + ": " +
                             gai_strerror(rc));
  }
  // A connected UDP socket sends nothing; it only asks the kernel for a route.
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  std::string out;
  if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) == 0) {
    sockaddr_in local{};
    socklen_t len = sizeof(local);
    char buf[INET_ADDRSTRLEN] = {0};
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) == 0 &&
        inet_ntop(AF_INET, &local.sin_addr, buf, sizeof(buf)) != nullptr) {
      out = buf;
    }
  }
  const int err = errno;
  if (fd >= 0) close(fd);
  freeaddrinfo(res);
  if (out.empty()) {
    throw std::runtime_error("no route to " + tcp_endpoint + ": " + std::strerror(err));
  }
  return out;
}

}  // namespace olsgd::actors
