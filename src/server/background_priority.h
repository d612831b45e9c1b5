// Background work runs at a lower CPU priority than answering requests: on a
// machine with few cores, loading segments and building (DuckDB compressing
// on every core) must not delay the acknowledgements and reads the clients
// wait for. Raising a thread's nice value needs no privilege. Linux only
// (a thread's nice value is its own there); elsewhere these do nothing.
#pragma once

namespace earshot::server {

// Adds `increment` to the nice value of the calling thread.
void LowerThisThreadPriority(int increment);
// Adds `increment` to the nice value of every thread of this process that
// exists now, except the calling one (e.g. DuckDB's worker threads).
void LowerOtherThreadsPriority(int increment);

}  // namespace earshot::server
