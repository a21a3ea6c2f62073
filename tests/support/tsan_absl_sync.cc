// TSan builds only (cmake/Sanitizers.cmake, jscore_tsan_executable): makes the
// synchronisation of Debian's uninstrumented abseil visible to ThreadSanitizer.
//
// absl::Mutex, CondVar, Notification and BlockingCounter live in
// libabsl_synchronization.so, built without -fsanitize=thread, so TSan sees none of the
// happens-before edges they create and would report every variable they guard as a
// race. The linker redirects our instrumented code's calls to them (ld --wrap=SYMBOL:
// a call to SYMBOL goes to __wrap_SYMBOL, and __real_SYMBOL is the original); each
// wrapper calls the original and adds the edge with TSan's annotation interface:
// release on the object before it publishes (unlock, notify, decrement), acquire on it
// after it observes (lock, wait). Nothing else changes: this is no suppression, a real
// race on unguarded data is still reported. Deadlock detection for these mutexes is
// not provided (TSan only learns acquire/release edges, not lock ownership).
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

#ifndef JSCORE_ABSL_MANGLED
#error "built by jscore_tsan_executable() (cmake/Sanitizers.cmake) only"
#endif

// absl::Mutex's deadlock detector (on in Debian's abseil) keeps a process-wide graph of
// lock order under an internal spin lock that TSan cannot see either, so its own
// bookkeeping (GraphCycles) would be reported as racing. The detector is a debugging
// aid that a TSan build does not need: it is turned off before main().
const bool kAbslDeadlockDetectionOff = [] {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();

extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);

// Each original (a member function) as a free function with the same ABI: `this` first.
#define JSCORE_REAL(ret, name, mangled, ...) ret name(__VA_ARGS__) __asm__("__real_" mangled)
#define JSCORE_WRAP(ret, name, mangled, ...) ret name(__VA_ARGS__) __asm__("__wrap_" mangled)

namespace {

using absl::BlockingCounter;
using absl::CondVar;
using absl::Duration;
using absl::Mutex;
using absl::Notification;
using absl::Time;

void* Key(const void* object) { return const_cast<void*>(object); }

}  // namespace

// The declarations below name the originals (__real_) and define the wrappers
// (__wrap_); the mangled names are built from abseil's inline namespace by CMake.
#define N JSCORE_ABSL_MANGLED
#define K JSCORE_ABSL_MANGLED_CONST

JSCORE_REAL(void, RealLock, N "5Mutex4LockEv", Mutex*);
JSCORE_REAL(void, RealUnlock, N "5Mutex6UnlockEv", Mutex*);
JSCORE_REAL(bool, RealTryLock, N "5Mutex7TryLockEv", Mutex*);
JSCORE_REAL(void, RealReaderLock, N "5Mutex10ReaderLockEv", Mutex*);
JSCORE_REAL(void, RealReaderUnlock, N "5Mutex12ReaderUnlockEv", Mutex*);
JSCORE_REAL(bool, RealReaderTryLock, N "5Mutex13ReaderTryLockEv", Mutex*);
JSCORE_REAL(void, RealWait, N "7CondVar4WaitEPNS0_5MutexE", CondVar*, Mutex*);
JSCORE_REAL(bool, RealWaitWithTimeout, N "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE",
            CondVar*, Mutex*, Duration);
JSCORE_REAL(bool, RealWaitWithDeadline, N "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE",
            CondVar*, Mutex*, Time);
JSCORE_REAL(void, RealNotify, N "12Notification6NotifyEv", Notification*);
JSCORE_REAL(void, RealWaitForNotification, K "12Notification19WaitForNotificationEv",
            const Notification*);
JSCORE_REAL(bool, RealWaitForNotificationWithTimeout,
            K "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE", const Notification*,
            Duration);
JSCORE_REAL(bool, RealWaitForNotificationWithDeadline,
            K "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE", const Notification*,
            Time);
JSCORE_REAL(bool, RealDecrementCount, N "15BlockingCounter14DecrementCountEv", BlockingCounter*);
JSCORE_REAL(void, RealBlockingWait, N "15BlockingCounter4WaitEv", BlockingCounter*);

// ---- Mutex: unlock releases, lock acquires (reader locks alike) ----

JSCORE_WRAP(void, WrapLock, N "5Mutex4LockEv", Mutex* mu);
void WrapLock(Mutex* mu) {
  RealLock(mu);
  __tsan_acquire(Key(mu));
}

JSCORE_WRAP(void, WrapUnlock, N "5Mutex6UnlockEv", Mutex* mu);
void WrapUnlock(Mutex* mu) {
  __tsan_release(Key(mu));
  RealUnlock(mu);
}

JSCORE_WRAP(bool, WrapTryLock, N "5Mutex7TryLockEv", Mutex* mu);
bool WrapTryLock(Mutex* mu) {
  bool locked = RealTryLock(mu);
  if (locked) __tsan_acquire(Key(mu));
  return locked;
}

JSCORE_WRAP(void, WrapReaderLock, N "5Mutex10ReaderLockEv", Mutex* mu);
void WrapReaderLock(Mutex* mu) {
  RealReaderLock(mu);
  __tsan_acquire(Key(mu));
}

JSCORE_WRAP(void, WrapReaderUnlock, N "5Mutex12ReaderUnlockEv", Mutex* mu);
void WrapReaderUnlock(Mutex* mu) {
  __tsan_release(Key(mu));
  RealReaderUnlock(mu);
}

JSCORE_WRAP(bool, WrapReaderTryLock, N "5Mutex13ReaderTryLockEv", Mutex* mu);
bool WrapReaderTryLock(Mutex* mu) {
  bool locked = RealReaderTryLock(mu);
  if (locked) __tsan_acquire(Key(mu));
  return locked;
}

// ---- CondVar: waiting unlocks the mutex and locks it again before returning ----

JSCORE_WRAP(void, WrapWait, N "7CondVar4WaitEPNS0_5MutexE", CondVar* cv, Mutex* mu);
void WrapWait(CondVar* cv, Mutex* mu) {
  __tsan_release(Key(mu));
  RealWait(cv, mu);
  __tsan_acquire(Key(mu));
}

JSCORE_WRAP(bool, WrapWaitWithTimeout, N "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE",
            CondVar* cv, Mutex* mu, Duration timeout);
bool WrapWaitWithTimeout(CondVar* cv, Mutex* mu, Duration timeout) {
  __tsan_release(Key(mu));
  bool timed_out = RealWaitWithTimeout(cv, mu, timeout);
  __tsan_acquire(Key(mu));
  return timed_out;
}

JSCORE_WRAP(bool, WrapWaitWithDeadline, N "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE",
            CondVar* cv, Mutex* mu, Time deadline);
bool WrapWaitWithDeadline(CondVar* cv, Mutex* mu, Time deadline) {
  __tsan_release(Key(mu));
  bool timed_out = RealWaitWithDeadline(cv, mu, deadline);
  __tsan_acquire(Key(mu));
  return timed_out;
}

// ---- Notification: Notify releases, a wait that saw it acquires ----
// (HasBeenNotified() is inline: an acquire load TSan sees, but the matching store is
// inside the library, so code that polls it gets no edge. jscore only calls it after
// joining the notifying thread.)

JSCORE_WRAP(void, WrapNotify, N "12Notification6NotifyEv", Notification* n);
void WrapNotify(Notification* n) {
  __tsan_release(Key(n));
  RealNotify(n);
}

JSCORE_WRAP(void, WrapWaitForNotification, K "12Notification19WaitForNotificationEv",
            const Notification* n);
void WrapWaitForNotification(const Notification* n) {
  RealWaitForNotification(n);
  __tsan_acquire(Key(n));
}

JSCORE_WRAP(bool, WrapWaitForNotificationWithTimeout,
            K "12Notification30WaitForNotificationWithTimeoutENS0_8DurationE",
            const Notification* n, Duration timeout);
bool WrapWaitForNotificationWithTimeout(const Notification* n, Duration timeout) {
  bool notified = RealWaitForNotificationWithTimeout(n, timeout);
  if (notified) __tsan_acquire(Key(n));
  return notified;
}

JSCORE_WRAP(bool, WrapWaitForNotificationWithDeadline,
            K "12Notification31WaitForNotificationWithDeadlineENS0_4TimeE", const Notification* n,
            Time deadline);
bool WrapWaitForNotificationWithDeadline(const Notification* n, Time deadline) {
  bool notified = RealWaitForNotificationWithDeadline(n, deadline);
  if (notified) __tsan_acquire(Key(n));
  return notified;
}

// ---- BlockingCounter: each decrement releases, Wait acquires ----

JSCORE_WRAP(bool, WrapDecrementCount, N "15BlockingCounter14DecrementCountEv",
            BlockingCounter* counter);
bool WrapDecrementCount(BlockingCounter* counter) {
  __tsan_release(Key(counter));
  return RealDecrementCount(counter);
}

JSCORE_WRAP(void, WrapBlockingWait, N "15BlockingCounter4WaitEv", BlockingCounter* counter);
void WrapBlockingWait(BlockingCounter* counter) {
  RealBlockingWait(counter);
  __tsan_acquire(Key(counter));
}
