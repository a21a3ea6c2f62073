// fetch, Headers, Response and XMLHttpRequest: HTTP from scripts, to the hosts on
// the daemon's --allow_fetch list only. Installed only when that list names hosts.
#ifndef JSCORE_ENGINE_EXTENSIONS_FETCH_FETCH_H_
#define JSCORE_ENGINE_EXTENSIONS_FETCH_FETCH_H_

#include "engine/internal/js_scope.h"

namespace jscore::engine::extensions::fetch {

// Installs the lazy globals `fetch`, `Headers`, `Response` and `XMLHttpRequest`.
// Transfers run on the worker's loop through the context's ContextHost
// (StartHttp): a job that awaits one holds no worker, and a job that ends aborts
// its transfers.
void InstallFetch(internal::JsScope& scope);

}  // namespace jscore::engine::extensions::fetch

#endif  // JSCORE_ENGINE_EXTENSIONS_FETCH_FETCH_H_
