// Console: console.log and friends, formatted like Node's, captured per request.
#ifndef JSCORE_ENGINE_EXTENSIONS_CONSOLE_CONSOLE_H_
#define JSCORE_ENGINE_EXTENSIONS_CONSOLE_CONSOLE_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::console {

// Installs `console` on the context's global object (built on first access):
// log, info, warn, error, debug, trace, dir, dirxml, table (as log), assert, count,
// countReset, group, groupCollapsed, groupEnd, time, timeLog, timeEnd. Arguments
// are formatted as Node's util.format does (inspect.h). Lines go to the context's
// ContextHost, which bounds them; nothing is written to the daemon's stdout.
void InstallConsole(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::console

#endif  // JSCORE_ENGINE_EXTENSIONS_CONSOLE_CONSOLE_H_
