#include "common/json_text.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace jscore {
namespace {

// One open array or object while scanning.
struct Frame {
  char type;         // '[' or '{'
  size_t index = 0;  // members seen before the current one
  bool has_member = false;
  absl::string_view key{};  // objects: the current member's key, as written (escapes kept)
};

class Scanner {
 public:
  Scanner(absl::string_view text, int max_depth, absl::string_view what,
          std::vector<JsonMember>* members)
      : text_(text), max_depth_(max_depth), what_(what), members_(members) {}

  absl::StatusOr<JsonShape> Run() {
    JsonShape shape;
    for (;;) {
      // A value is expected at pos_.
      SkipSpace();
      if (Recording()) value_start_ = pos_;
      if (pos_ >= text_.size()) return Syntax("a value is missing");
      char c = text_[pos_];
      if (c == '{' || c == '[') {
        if (static_cast<int>(stack_.size()) + 1 > max_depth_) {
          return absl::InvalidArgumentError(absl::StrCat(
              what_, " is nested deeper than ", max_depth_, " levels at \"", Path(), "\""));
        }
        if (stack_.empty()) shape.top = c;
        ++pos_;
        stack_.push_back(Frame{c});
        SkipSpace();
        char close = c == '{' ? '}' : ']';
        if (pos_ < text_.size() && text_[pos_] == close) {
          ++pos_;
          stack_.pop_back();
        } else {
          stack_.back().has_member = true;
          if (c == '{') {
            if (absl::Status s = Key(); !s.ok()) return s;
          }
          continue;  // the first member's value
        }
      } else if (c == '"') {
        absl::string_view ignored;
        if (absl::Status s = String(&ignored); !s.ok()) return s;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (absl::Status s = Number(); !s.ok()) return s;
      } else if (!Literal("true") && !Literal("false") && !Literal("null")) {
        return Syntax("unexpected character");
      }
      // After a value: close containers, or move on to the next member.
      for (;;) {
        if (Recording()) {
          members_->back().value = text_.substr(value_start_, pos_ - value_start_);
        }
        SkipSpace();
        if (stack_.empty()) {
          if (pos_ != text_.size()) return Syntax("text after the value");
          return shape;
        }
        Frame& top = stack_.back();
        char close = top.type == '{' ? '}' : ']';
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          ++top.index;
          if (top.type == '{') {
            SkipSpace();
            if (absl::Status s = Key(); !s.ok()) return s;
          }
          break;  // the next member's value
        }
        if (pos_ < text_.size() && text_[pos_] == close) {
          ++pos_;
          if (stack_.size() == 1) shape.top_members = top.has_member ? top.index + 1 : 0;
          stack_.pop_back();
          continue;
        }
        return Syntax(top.type == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
  }

 private:
  // Whether the place being read is a member of a top-level object whose members
  // the caller wants.
  bool Recording() const {
    return members_ != nullptr && stack_.size() == 1 && stack_[0].type == '{';
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  // An object key and its colon; pos_ at the key's opening quote.
  absl::Status Key() {
    if (pos_ >= text_.size() || text_[pos_] != '"') return Syntax("expected a string key");
    if (absl::Status s = String(&stack_.back().key); !s.ok()) return s;
    if (Recording()) members_->push_back(JsonMember{stack_.back().key, {}});
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != ':') return Syntax("expected ':'");
    ++pos_;
    return absl::OkStatus();
  }

  absl::Status String(absl::string_view* contents) {
    size_t start = ++pos_;
    while (pos_ < text_.size()) {
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        *contents = text_.substr(start, pos_ - start);
        ++pos_;
        return absl::OkStatus();
      }
      if (c < 0x20) return Syntax("a control character in a string");
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        char e = text_[pos_ + 1];
        if (e == 'u') {
          if (pos_ + 6 > text_.size()) break;
          for (size_t i = pos_ + 2; i < pos_ + 6; ++i) {
            char h = text_[i];
            if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
              return Syntax("a bad \\u escape");
            }
          }
          pos_ += 6;
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
            e != 't') {
          return Syntax("a bad escape");
        }
        pos_ += 2;
        continue;
      }
      ++pos_;
    }
    return Syntax("an unterminated string");
  }

  absl::Status Number() {
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!Digits()) {
      return Syntax("a bad number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!Digits()) return Syntax("a bad number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!Digits()) return Syntax("a bad number");
    }
    return absl::OkStatus();
  }

  bool Digits() {
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool Literal(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  // The JSON Pointer of the place being read (keys as written, escapes kept).
  std::string Path() const {
    std::string path;
    for (const Frame& frame : stack_) {
      path.push_back('/');
      if (frame.type == '[') {
        absl::StrAppend(&path, frame.index);
        continue;
      }
      for (char c : frame.key.substr(0, 256)) {
        if (c == '~') {
          path += "~0";
        } else if (c == '/') {
          path += "~1";
        } else {
          path.push_back(c);
        }
      }
    }
    return path;
  }

  absl::Status Syntax(absl::string_view problem) const {
    return absl::InvalidArgumentError(
        absl::StrCat(what_, " is not valid JSON: ", problem, " at byte ", pos_));
  }

  absl::string_view text_;
  int max_depth_;
  absl::string_view what_;
  size_t pos_ = 0;
  std::vector<Frame> stack_;
  std::vector<JsonMember>* members_;
  size_t value_start_ = 0;  // of the current top-level member's value
};

}  // namespace

absl::StatusOr<JsonShape> CheckJsonText(absl::string_view text, int max_depth,
                                        absl::string_view what, std::vector<JsonMember>* members) {
  return Scanner(text, max_depth, what, members).Run();
}

}  // namespace jscore
