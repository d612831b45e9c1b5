// Status and Result<T>: how expected failures travel in earshot.
//
// A bad row, a missing file or a refused query is a value, not an exception.
// Status carries a code, a message meant for the person running the command,
// and context added as it travels up ("ingest events.csv: ..."). Result<T>
// holds either a T or a failed Status. Both are cheap to move; neither is
// thread-safe to share while being modified.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace earshot {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller (often the user) asked for something impossible
  kNotFound,
  kAlreadyExists,
  kDataError,        // input data cannot be used
  kIoError,
  kDatabaseError,
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status Invalid(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status DataError(std::string m) { return {StatusCode::kDataError, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Database(std::string m) { return {StatusCode::kDatabaseError, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return {code_, context + ": " + message_};
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result built from a Status must hold an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace earshot

// Returns early from the enclosing function when `expr` yields a failed Status.
#define EARSHOT_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::earshot::Status _st = (expr);            \
    if (!_st.ok()) return _st;                 \
  } while (false)

#define EARSHOT_CONCAT_INNER(a, b) a##b
#define EARSHOT_CONCAT(a, b) EARSHOT_CONCAT_INNER(a, b)
// Assigns the value of a Result to `lhs`, or returns its Status on failure.
#define EARSHOT_ASSIGN_OR_RETURN(lhs, expr)                        \
  auto EARSHOT_CONCAT(_res_, __LINE__) = (expr);                   \
  if (!EARSHOT_CONCAT(_res_, __LINE__).ok())                       \
    return EARSHOT_CONCAT(_res_, __LINE__).status();               \
  lhs = std::move(EARSHOT_CONCAT(_res_, __LINE__)).value()
