// Notifications ([notify] in earshot.toml): when a run finishes and when a
// check fails, a JSON summary goes to a shell command (on its stdin, run by
// /bin/sh -c) and/or is POSTed to an http:// webhook (Boost.Beast), each with
// [notify] timeout_seconds. A notification that fails is reported back as a
// message for the log; it never fails the run. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "common/json_text.h"
#include "config/project.h"

namespace earshot::orchestrator {

// Sends `json` to every configured target; returns one message per failure
// (empty: all delivered, or nothing configured).
std::vector<std::string> Notify(const config::NotifySettings& settings, const std::string& json);

// Runs `command` with /bin/sh -c, `input` on its stdin; fails when it cannot
// start, exits non-zero, or outlives `timeout_seconds` (it is then killed).
Status RunNotifyCommand(const std::string& command, const std::string& input, double timeout_seconds);

// POSTs `json` to `url` (http://host[:port]/path); fails on a connection or
// timeout error, or an answer other than 2xx.
Status PostJson(const std::string& url, const std::string& json, double timeout_seconds);


}  // namespace earshot::orchestrator
