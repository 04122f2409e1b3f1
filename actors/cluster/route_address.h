// The local IP address this host uses to reach a tcp endpoint, so a worker
// can listen on (and advertise) an address its peers can dial.
#ifndef OLSGD_ACTORS_CLUSTER_ROUTE_ADDRESS_H_
#define OLSGD_ACTORS_CLUSTER_ROUTE_ADDRESS_H_

#include <string>

namespace olsgd::actors {

// "10.0.0.2" for "tcp://10.0.0.1:5555" when 10.0.0.2 is the interface the
// route to 10.0.0.1 uses. Throws std::runtime_error naming the endpoint if it
// is not tcp://HOST:PORT or HOST does not resolve.
std::string LocalAddressToward(const std::string& tcp_endpoint);

}  // namespace olsgd::actors

#endif  // OLSGD_ACTORS_CLUSTER_ROUTE_ADDRESS_H_
