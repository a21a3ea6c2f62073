// JSON text for the loadgen: writer for Value (sorted keys), parsers via protobuf.
#include "bench/loadgen/json.h"

#include <cmath>
#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"

namespace jscore::loadgen {
namespace {

// The shortest %g form that reads back as the same double (JS prints the
// shortest round-trip form too, so small results usually print as JS does).
std::string ShortestDouble(double d) {
  if (d == std::floor(d) && std::fabs(d) < 1e15) return absl::StrCat(static_cast<int64_t>(d));
  for (int precision : {15, 16, 17}) {
    std::string s = absl::StrFormat("%.*g", precision, d);
    if (std::strtod(s.c_str(), nullptr) == d) return s;
  }
  return absl::StrFormat("%.17g", d);
}

void AppendValue(const google::protobuf::Value& value, std::string* out) {
  using google::protobuf::Value;
  switch (value.kind_case()) {
    case Value::kNullValue:
    case Value::KIND_NOT_SET:
      out->append("null");
      return;
    case Value::kBoolValue:
      out->append(value.bool_value() ? "true" : "false");
      return;
    case Value::kNumberValue:
      out->append(std::isfinite(value.number_value()) ? ShortestDouble(value.number_value())
                                                      : "null");
      return;
    case Value::kStringValue:
      out->append(JsonQuote(value.string_value()));
      return;
    case Value::kListValue: {
      out->push_back('[');
      const auto& values = value.list_value().values();
      for (int i = 0; i < values.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendValue(values[i], out);
      }
      out->push_back(']');
      return;
    }
    case Value::kStructValue: {
      std::map<absl::string_view, const Value*> sorted;
      for (const auto& [key, field] : value.struct_value().fields()) sorted[key] = &field;
      out->push_back('{');
      bool first = true;
      for (const auto& [key, field] : sorted) {
        if (!first) out->push_back(',');
        first = false;
        out->append(JsonQuote(key));
        out->push_back(':');
        AppendValue(*field, out);
      }
      out->push_back('}');
      return;
    }
  }
  out->append("null");
}

}  // namespace

std::string ValueToJson(const google::protobuf::Value& value) {
  std::string out;
  AppendValue(value, &out);
  return out;
}

std::string JsonQuote(absl::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
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

std::string JsonNumber(double d) {
  if (!std::isfinite(d)) return "0";
  return ShortestDouble(d);
}

absl::StatusOr<google::protobuf::Value> ParseJsonValue(const std::string& json) {
  google::protobuf::Value value;
  auto status = google::protobuf::util::JsonStringToMessage(json, &value);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not JSON: ", json, " (", status.ToString(), ")"));
  }
  return value;
}

absl::StatusOr<google::protobuf::ListValue> ParseJsonArray(const std::string& json) {
  google::protobuf::ListValue list;
  auto status = google::protobuf::util::JsonStringToMessage(json, &list);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a JSON array: ", json, " (", status.ToString(), ")"));
  }
  return list;
}

}  // namespace jscore::loadgen
