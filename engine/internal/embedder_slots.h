// EmbedderSlots: the one list of the indices at which jscore keeps its own data inside a
// V8 context. Every index the engine reads or writes is declared here, with what it holds
// and who reads it, so that two owners never share one by accident.
//
// - Context embedder data (v8::Context::{Set,Get}EmbedderData and the aligned-pointer
//   forms): EmbedderSlot below.
// - The realm record: one hidden array per context (a private property of its global
//   object, extensions/web/web_support.h) holding what each Web API family built for that
//   context, so the families find each other's classes without reading (user-writable)
//   globals: RealmSlot below.
// - Internal fields (v8::Object::SetInternalField): none. Native state of instances
//   lives in per-instance arrays under private symbols (web::NewState); their indices
//   are private to the one file that owns the class (an enum at the top of that file).
#ifndef JSCORE_ENGINE_INTERNAL_EMBEDDER_SLOTS_H_
#define JSCORE_ENGINE_INTERNAL_EMBEDDER_SLOTS_H_

namespace jscore::engine::internal {

// Context embedder-data indices. Written and read on the worker thread that owns the
// context, with its isolate entered.
enum EmbedderSlot : int {
  // V8's own (the debugger's context id); never written by jscore.
  kV8ReservedSlot = 0,
  // Aligned pointer to the ContextHost of the job or session that owns the context
  // (internal/context_host.h); null while no one does. Read by the extensions' native
  // callbacks (timers, console, hooks, fetch, XMLHttpRequest, AbortSignal,
  // Atomics.waitAsync, crypto.subtle) through ContextHost::From.
  kContextHostSlot = 1,
  // Aligned pointer to the context's ContextState (internal/context_state.h): its
  // settings, seeded generator, probe record, module files. Read by the extensions
  // (determinism, probe, require, crypto, the browser profile) and the worker through
  // ContextState::From.
  kContextStateSlot = 2,
  // Null-prototype object of Call's compiled getters of top-level names
  // (internal/call_target.cc, through ContextSlots::CallGetters).
  kCallGettersSlot = 3,
  // The root module's namespace of a module program, which Call looks its first name
  // up in (ContextSlots::CallRoot); undefined for a script.
  kCallRootSlot = 4,
  // The module loaders' per-context tables (internal/require.cc,
  // internal/es_modules.cc, through ContextSlots::ModuleTables).
  kModuleTablesSlot = 5,
};

// Indices of the realm record (extensions/web/web_support.h: web::Realm, GetSlot,
// GetOrBuild). Each holds the value one family built for the context, made on first
// use; the owner in parentheses writes it, any family may read it.
enum class RealmSlot : int {
  kTimeOrigin,       // steady-clock ms when the context was built, a Number (web/performance)
  kDomException,     // DOMException (web/dom_exception)
  kEvent,            // Event (events/events)
  kCustomEvent,      // CustomEvent (events/events)
  kEventTarget,      // EventTarget (events/event_target)
  kAbortController,  // AbortController (events/abort)
  kAbortSignal,      // AbortSignal (events/abort)
  kUrl,              // URL (url/url)
  kUrlSearchParams,  // URLSearchParams (url/url_search_params)
  kUrlSearchParamsIterator,  // the URLSearchParams iterators' prototype (url/url_search_params)
  kTextEncoder,              // TextEncoder (encoding/encoding)
  kTextDecoder,              // TextDecoder (encoding/encoding)
  kPerformance,              // the performance object (web/performance)
  kConsole,                  // the console object (console/console)
  kHeaders,                  // Headers (fetch/fetch_headers)
  kResponse,                 // Response (fetch/fetch)
  kFetch,                    // fetch (fetch/fetch)
  kXmlHttpRequest,           // XMLHttpRequest (fetch/xhr)
  kCount,                    // the record's length
};

}  // namespace jscore::engine::internal

#endif  // JSCORE_ENGINE_INTERNAL_EMBEDDER_SLOTS_H_
