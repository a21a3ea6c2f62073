// Small helpers for absl::Status plumbing (abseil 20220623 ships no status macros
// and no absl/log). Header only; usable from every folder.
#ifndef JSCORE_COMMON_STATUS_MACROS_H_
#define JSCORE_COMMON_STATUS_MACROS_H_

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define JSCORE_CONCAT_INNER_(a, b) a##b
#define JSCORE_CONCAT_(a, b) JSCORE_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::absl::Status jscore_status_ = (expr);          \
    if (!jscore_status_.ok()) return jscore_status_; \
  } while (0)

// ASSIGN_OR_RETURN(auto x, MakeX()): binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(JSCORE_CONCAT_(jscore_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

// CHECK is for true invariants only, never for anything a request controls.
#define JSCORE_CHECK(cond)                                                          \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

#ifndef NDEBUG
#define JSCORE_DCHECK(cond) JSCORE_CHECK(cond)
#else
#define JSCORE_DCHECK(cond) \
  do {                      \
  } while (false && (cond))
#endif

#endif  // JSCORE_COMMON_STATUS_MACROS_H_
