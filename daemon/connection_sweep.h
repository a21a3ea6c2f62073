// Closing the daemon's client connections at the end of a graceful stop, before
// gRPC's own server shutdown (see Server::Shutdown for why).
#ifndef JSCORE_DAEMON_CONNECTION_SWEEP_H_
#define JSCORE_DAEMON_CONNECTION_SWEEP_H_

namespace jscore::daemon {

// Shuts down (without closing: the descriptors stay gRPC's) every TCP socket of this
// process whose local port is `port`: first the listening socket, so that no new
// connection is accepted, then every connection accepted on it. Clients then see
// their connection end, which gRPC reports to them as UNAVAILABLE. Returns how many
// sockets it shut down. Main thread, during shutdown only.
int ShutDownSocketsOnPort(int port);

}  // namespace jscore::daemon

#endif  // JSCORE_DAEMON_CONNECTION_SWEEP_H_
