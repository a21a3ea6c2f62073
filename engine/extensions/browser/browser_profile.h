// The browser profile (PROFILE_BROWSER): window/self/top as the global object,
// navigator, location, document, screen, localStorage and sessionStorage.
#ifndef JSCORE_ENGINE_EXTENSIONS_BROWSER_BROWSER_PROFILE_H_
#define JSCORE_ENGINE_EXTENSIONS_BROWSER_BROWSER_PROFILE_H_

#include "engine/internal/js_scope.h"
#include "engine/job.h"

namespace jscore::engine::extensions::browser {

// Installs the profile into a context, before any script of the job runs (a fresh
// context, or a session's at its creation). Empty fields of `profile` take the
// defaults of a desktop Chrome on Windows (user agent, "Win32", ["en-US", "en"],
// 1920x1080, page "https://example.com/"). Everything is native: functions print as
// `function name() { [native code] }`; navigator's, screen's and storage's members
// are accessors on their prototypes as in browsers; the interface objects (Window,
// Navigator, Document...) exist. Nothing jscore-specific is enumerable on the global
// object afterwards. When the context was built for the probe, navigator, document
// and screen record their misses too. Returns false when JS threw or was terminated.
bool InstallBrowserProfile(internal::JsScope& scope, const BrowserProfile& profile);

}  // namespace jscore::engine::extensions::browser

#endif  // JSCORE_ENGINE_EXTENSIONS_BROWSER_BROWSER_PROFILE_H_
