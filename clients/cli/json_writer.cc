#include "clients/cli/json_writer.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jscore::cli {

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string ToJson(const google::protobuf::Value& value) {
  using google::protobuf::Value;
  switch (value.kind_case()) {
    case Value::kNullValue:
    case Value::KIND_NOT_SET:
      return "null";
    case Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case Value::kNumberValue: {
      double d = value.number_value();
      if (!std::isfinite(d)) return "null";
      if (d == std::floor(d) && std::fabs(d) < 1e15) return absl::StrCat(static_cast<int64_t>(d));
      return absl::StrFormat("%.17g", d);
    }
    case Value::kStringValue:
      return JsonString(value.string_value());
    case Value::kListValue: {
      std::string out = "[";
      for (int i = 0; i < value.list_value().values_size(); ++i) {
        if (i > 0) out += ",";
        out += ToJson(value.list_value().values(i));
      }
      return out + "]";
    }
    case Value::kStructValue: {
      std::map<std::string, const Value*> sorted;
      for (const auto& [k, v] : value.struct_value().fields()) sorted[k] = &v;
      std::string out = "{";
      for (const auto& [k, v] : sorted) {
        if (out.size() > 1) out += ",";
        out += JsonString(k) + ":" + ToJson(*v);
      }
      return out + "}";
    }
  }
  return "null";
}

}  // namespace jscore::cli
