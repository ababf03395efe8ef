// A TCP port on 127.0.0.1 for a test server to listen on, or for a client to
// find nobody listening on.
#pragma once

namespace netwarden::test {

// A port the kernel just handed out and released: free unless someone races
// us for it (a caller that binds it should retry with another). 0 when the
// kernel gave none.
int free_loopback_port();

}  // namespace netwarden::test
