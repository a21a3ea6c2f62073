// Options of evaluations, calls, programs, sessions and batches.

package jscore

import (
	"sort"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"
)

// EvalOption configures Evaluate and Call (of a client, a program or a session).
type EvalOption interface{ applyEval(*evalConfig) }

// ProgramOption configures LoadProgram and Validate.
type ProgramOption interface{ applyProgram(*programConfig) }

// SessionOption configures NewSession.
type SessionOption interface{ applySession(*sessionConfig) }

type evalConfig struct {
	globals      Object
	timeout      time.Duration
	filename     string
	noExtensions bool
	fresh        bool
	randomSeed   uint64
	frozenTimeMs int64
	browser      *jscorev1.BrowserProfile
	probe        bool
	sourceType   jscorev1.SourceType
	modules      map[string]string
}

type programConfig struct {
	timeout    time.Duration
	filename   string
	modules    map[string]string
	sourceType jscorev1.SourceType
	browser    *jscorev1.BrowserProfile
}

type sessionConfig struct {
	timeout      time.Duration
	ttl          time.Duration
	program      *Program
	programID    string
	source       string
	noExtensions bool
	randomSeed   uint64
	frozenTimeMs int64
	browser      *jscorev1.BrowserProfile
}

type evalOption func(*evalConfig)

func (f evalOption) applyEval(c *evalConfig) { f(c) }

// Globals become global variables before the script runs (values as EncodeJSValue
// takes them), defined in sorted name order (a map has no order of its own: use
// Global or OrderedGlobals to choose it). Several Globals and Global options add up.
func Globals(globals map[string]any) EvalOption {
	names := make([]string, 0, len(globals))
	for name := range globals {
		names = append(names, name)
	}
	sort.Strings(names)
	return evalOption(func(c *evalConfig) {
		for _, name := range names {
			c.globals = c.globals.Set(name, globals[name])
		}
	})
}

// OrderedGlobals become global variables in the object's key order.
func OrderedGlobals(globals Object) EvalOption {
	return evalOption(func(c *evalConfig) {
		for _, m := range globals {
			c.globals = c.globals.Set(m.Key, m.Value)
		}
	})
}

// Global makes one global variable; globals are defined in the order of the options
// (a name given again keeps its first place and takes the last value).
func Global(name string, value any) EvalOption {
	return evalOption(func(c *evalConfig) { c.globals = c.globals.Set(name, value) })
}

// Fresh runs a program call in a fresh copy of the program's context (no state kept
// from earlier calls). Ignored elsewhere.
func Fresh() EvalOption { return evalOption(func(c *evalConfig) { c.fresh = true }) }

// TimeoutOption is the option Timeout returns; it applies to every kind of request.
type TimeoutOption time.Duration

// Timeout bounds this request instead of the client's timeout (WithTimeout). The
// context's deadline, if sooner, wins; so does the daemon's --max_timeout.
func Timeout(d time.Duration) TimeoutOption { return TimeoutOption(d) }

func (t TimeoutOption) applyEval(c *evalConfig)       { c.timeout = time.Duration(t) }
func (t TimeoutOption) applyProgram(c *programConfig) { c.timeout = time.Duration(t) }
func (t TimeoutOption) applySession(c *sessionConfig) { c.timeout = time.Duration(t) }

// FilenameOption is the option Filename returns.
type FilenameOption string

// Filename is shown in stack traces ("<eval>" and "<program>" by default); for
// CommonJS and ES modules it is the source's path in the modules' tree (relative
// requires and imports resolve from its folder).
func Filename(name string) FilenameOption { return FilenameOption(name) }

func (f FilenameOption) applyEval(c *evalConfig)       { c.filename = string(f) }
func (f FilenameOption) applyProgram(c *programConfig) { c.filename = string(f) }

// NoExtensionsOption is the option NoExtensions returns.
type NoExtensionsOption struct{}

// NoExtensions gives bare ECMAScript: no timers, no console (EXTENSIONS_NONE).
func NoExtensions() NoExtensionsOption { return NoExtensionsOption{} }

func (NoExtensionsOption) applyEval(c *evalConfig)       { c.noExtensions = true }
func (NoExtensionsOption) applySession(c *sessionConfig) { c.noExtensions = true }

// RandomSeedOption is the option RandomSeed returns.
type RandomSeedOption uint64

// RandomSeed seeds Math.random and crypto randomness for reproducible runs (for a
// session: once, at creation).
func RandomSeed(seed uint64) RandomSeedOption { return RandomSeedOption(seed) }

func (s RandomSeedOption) applyEval(c *evalConfig)       { c.randomSeed = uint64(s) }
func (s RandomSeedOption) applySession(c *sessionConfig) { c.randomSeed = uint64(s) }

// FrozenTimeOption is the option FrozenTime returns.
type FrozenTimeOption int64

// FrozenTime freezes Date.now() and friends at t (for a session: for its whole life).
func FrozenTime(t time.Time) FrozenTimeOption { return FrozenTimeOption(t.UnixMilli()) }

func (f FrozenTimeOption) applyEval(c *evalConfig)       { c.frozenTimeMs = int64(f) }
func (f FrozenTimeOption) applySession(c *sessionConfig) { c.frozenTimeMs = int64(f) }

// BrowserOption is the option Browser returns.
type BrowserOption struct{ profile *jscorev1.BrowserProfile }

// Browser gives the script a browser page's globals: window/self/top, navigator,
// location, document, screen, localStorage and sessionStorage, shaped by profile
// (user agent, page URL, cookie, languages, screen size...; nil or zero fields: the
// defaults, a desktop Chrome on Windows). For Evaluate, sessions and LoadProgram (a
// program's contexts get the profile, which is part of its id; its calls run in them,
// so Browser is refused on a call).
func Browser(profile *jscorev1.BrowserProfile) BrowserOption {
	if profile == nil {
		profile = &jscorev1.BrowserProfile{}
	}
	return BrowserOption{profile}
}

func (b BrowserOption) applyEval(c *evalConfig)       { c.browser = b.profile }
func (b BrowserOption) applySession(c *sessionConfig) { c.browser = b.profile }
func (b BrowserOption) applyProgram(c *programConfig) { c.browser = b.profile }

// SourceTypeOption is the option Type, CommonJS and ESModule return.
type SourceTypeOption jscorev1.SourceType

// Type says what the source of LoadProgram, Validate or Evaluate is (default
// SOURCE_TYPE_SCRIPT, a classic script).
func Type(t jscorev1.SourceType) SourceTypeOption { return SourceTypeOption(t) }

// CommonJS makes the source a CommonJS module (require, module.exports): a program's
// calls name properties of its module.exports ("sign", "Lib.encrypt"); an evaluation's
// value is its module.exports.
func CommonJS() SourceTypeOption { return SourceTypeOption(jscorev1.SourceType_SOURCE_TYPE_COMMONJS) }

// ESModule makes the source an ES module, the root of a graph over Modules (import,
// export, import(), top-level await, JSON imports): a program's calls name its exports
// ("default", "sign", "Lib.encrypt"); an evaluation's value is its namespace.
func ESModule() SourceTypeOption { return SourceTypeOption(jscorev1.SourceType_SOURCE_TYPE_MODULE) }

func (t SourceTypeOption) applyEval(c *evalConfig) { c.sourceType = jscorev1.SourceType(t) }
func (t SourceTypeOption) applyProgram(c *programConfig) {
	c.sourceType = jscorev1.SourceType(t)
}

// Probe lists in Result.ProbedMissing the globals (and navigator.*, document.*,
// screen.* properties) the script read but found undefined. Not inside a session.
func Probe() EvalOption { return evalOption(func(c *evalConfig) { c.probe = true }) }

// ModulesOption is the option Modules returns.
type ModulesOption map[string]string

// Modules is a read-only file tree (path -> source: CommonJS, ES modules, JSON) that
// require() and import resolve in as Node does ("lib/util.js", "data.json",
// "node_modules/pkg/index.js"); never the file system. For LoadProgram, Validate and
// Evaluate (fresh evaluations). Several Modules options add up.
func Modules(modules map[string]string) ModulesOption { return ModulesOption(modules) }

func (m ModulesOption) applyProgram(c *programConfig) { c.modules = addModules(c.modules, m) }
func (m ModulesOption) applyEval(c *evalConfig)       { c.modules = addModules(c.modules, m) }

func addModules(to map[string]string, modules map[string]string) map[string]string {
	if to == nil {
		to = make(map[string]string, len(modules))
	}
	for k, v := range modules {
		to[k] = v
	}
	return to
}

type sessionOption func(*sessionConfig)

func (f sessionOption) applySession(c *sessionConfig) { f(c) }

// TTL is the idle time after which the daemon deletes the session (default: the
// daemon's --session_ttl).
func TTL(d time.Duration) SessionOption { return sessionOption(func(c *sessionConfig) { c.ttl = d }) }

// FromProgram starts the session from a program's globals (re-sent if the daemon lost it).
func FromProgram(p *Program) SessionOption {
	return sessionOption(func(c *sessionConfig) { c.program = p })
}

// FromProgramID starts the session from a loaded program, by id.
func FromProgramID(id string) SessionOption {
	return sessionOption(func(c *sessionConfig) { c.programID = id })
}

// Source is a script run once when the session is created.
func Source(src string) SessionOption {
	return sessionOption(func(c *sessionConfig) { c.source = src })
}
