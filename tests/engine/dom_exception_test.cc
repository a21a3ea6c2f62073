// DOMException as WebIDL defines it: the options-dictionary constructor, name,
// message and code as brand-checked prototype getters, the error names table
// (with its retired names), toString from Error.prototype, structuredClone.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/engine_test_support.h"
#include "tests/engine/web_api_test_fixture.h"

namespace jscore::testing {
namespace {

using ::testing::StartsWith;

class DomExceptionTest : public WebApiTest {};  // one pool per suite (web_api_test_fixture.h)

TEST_F(DomExceptionTest, OptionsDictionaryGivesNameAndCause) {
  EXPECT_EQ(Eval(R"(
    const a = new DOMException('bar', { name: 'NotSupportedError', cause: 'foo' });
    const b = new DOMException('bar', { cause: 0 });
    const c = new DOMException('bar', {});
    const d = new DOMException('bar', 'AbortError');
    [a.name, a.message, a.code, a.cause, b.name, b.cause, c.name, 'cause' in c, d.name, d.code]
  )"),
            R"(["NotSupportedError","bar",9,"foo","Error",0,"Error",false,"AbortError",20])");
  // Dictionary members are read in order (cause before name), each once.
  EXPECT_EQ(Eval(R"(
    const read = [];
    new DOMException('m', { get name() { read.push('name'); return 'X'; },
                            get cause() { read.push('cause'); return 1; } });
    read
  )"),
            R"(["cause","name"])");
  // An object as the second argument is never stringified as the name.
  EXPECT_EQ(Eval("new DOMException('m', { toString() { return 'Wrong'; } }).name"), R"("Error")");
}

TEST_F(DomExceptionTest, NameMessageCodeArePrototypeGettersWithBrandChecks) {
  EXPECT_EQ(Eval(R"(
    const e = new DOMException('message', 'name');
    const own = ['name', 'message', 'code'].map((k) => e.hasOwnProperty(k));
    const kinds = ['name', 'message', 'code'].map((k) => {
      const d = Object.getOwnPropertyDescriptor(DOMException.prototype, k);
      return [typeof d.get, d.set, d.enumerable, d.configurable];
    });
    const brand = ['name', 'message', 'code'].map((k) => {
      try { Object.getOwnPropertyDescriptor(DOMException.prototype, k).get.call({}); return 'no error'; }
      catch (x) { return x instanceof TypeError; }
    });
    [own, kinds, brand]
  )"),
            R"([[false,false,false],[["function",null,true,true],["function",null,true,true],)"
            R"(["function",null,true,true]],[true,true,true]])");
  // The code comes from the internal name: shadowing `name` does not change it.
  EXPECT_EQ(Eval(R"(
    const e = new DOMException('m', 'InvalidCharacterError');
    Object.defineProperty(e, 'name', { value: 'WrongDocumentError' });
    [e.code, e.name]
  )"),
            R"([5,"WrongDocumentError"])");
}

TEST_F(DomExceptionTest, ToStringComesFromErrorPrototype) {
  EXPECT_EQ(Eval(R"(
    const e = new DOMException('message', 'name');
    let proto;
    try { DOMException.prototype.toString(); proto = 'no error'; }
    catch (x) { proto = x.constructor.name; }
    [e.toString(), String(e), DOMException.prototype.hasOwnProperty('toString'), proto,
     Object.prototype.toString.call(e), e instanceof Error, typeof e.stack]
  )"),
            R"(["name: message","name: message",false,"TypeError","[object DOMException]",true,)"
            R"("string"])");
  EXPECT_THAT(Eval("new DOMException('boom', 'DataError').stack"),
              StartsWith("\"DataError: boom\\n"));
}

TEST_F(DomExceptionTest, RetiredNamesHaveCodeZero) {
  EXPECT_EQ(Eval(R"(
    ['DOMStringSizeError', 'NoDataAllowedError', 'ValidationError', 'IndexSizeError',
     'DataCloneError', 'OperationError'].map((n) => new DOMException('m', n).code)
  )"),
            "[0,0,0,1,25,0]");
  // Their constants remain.
  EXPECT_EQ(Eval("[DOMException.DOMSTRING_SIZE_ERR, DOMException.VALIDATION_ERR]"), "[2,16]");
}

TEST_F(DomExceptionTest, StructuredCloneKeepsADomException) {
  EXPECT_EQ(Eval(R"(
    const e = new DOMException('gone', 'AbortError');
    const c = structuredClone(e);
    [c instanceof DOMException, c !== e, c.name, c.message, c.code, c.stack === e.stack,
     Object.prototype.toString.call(c)]
  )"),
            R"([true,true,"AbortError","gone",20,true,"[object DOMException]"])");
  // Thrown by the engine itself (atob) and cloned.
  EXPECT_EQ(Eval(R"(
    let e; try { atob('*'); } catch (x) { e = x; }
    const c = structuredClone(e);
    [c instanceof DOMException, c.name, c.code]
  )"),
            R"([true,"InvalidCharacterError",5])");
}

TEST_F(DomExceptionTest, ThrownDomExceptionReportsNameAndMessage) {
  engine::Outcome o = RunJs(*pool_, "throw new DOMException('late', { name: 'TimeoutError' })");
  ASSERT_EQ(o.kind, engine::Outcome::Kind::kJsError) << Json(o);
  EXPECT_EQ(o.error.name, "TimeoutError");
  EXPECT_EQ(o.error.message, "late");
}

}  // namespace
}  // namespace jscore::testing
