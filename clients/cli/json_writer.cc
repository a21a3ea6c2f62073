#include "clients/cli/json_writer.h"

#include <cmath>
#include <cstdlib>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace jscore::cli {

std::string JsonString(const std::string& s) {
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

namespace {

// The shortest of %.15g, %.16g and %.17g that reads back as `d`.
std::string Number(double d) {
  if (!std::isfinite(d)) return "null";
  std::string text = absl::StrFormat("%.15g", d);
  if (std::strtod(text.c_str(), nullptr) == d) return text;
  text = absl::StrFormat("%.16g", d);
  if (std::strtod(text.c_str(), nullptr) == d) return text;
  return absl::StrFormat("%.17g", d);
}

std::string FieldJson(const google::protobuf::Message& message,
                      const google::protobuf::FieldDescriptor* field, int index) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* r = message.GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? r->GetRepeatedInt32(message, field, index)
                                   : r->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(repeated ? r->GetRepeatedInt64(message, field, index)
                                   : r->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(repeated ? r->GetRepeatedUInt32(message, field, index)
                                   : r->GetUInt32(message, field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(repeated ? r->GetRepeatedUInt64(message, field, index)
                                   : r->GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Number(repeated ? r->GetRepeatedDouble(message, field, index)
                             : r->GetDouble(message, field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Number(repeated ? r->GetRepeatedFloat(message, field, index)
                             : r->GetFloat(message, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return JsonString(
          (repeated ? r->GetRepeatedEnum(message, field, index) : r->GetEnum(message, field))
              ->name());
    case FieldDescriptor::CPPTYPE_STRING:
      return JsonString(repeated ? r->GetRepeatedString(message, field, index)
                                 : r->GetString(message, field));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageJson(repeated ? r->GetRepeatedMessage(message, field, index)
                                  : r->GetMessage(message, field));
  }
  return "null";
}

}  // namespace

std::string MessageJson(const google::protobuf::Message& message) {
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  std::string out = "{";
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (i > 0) out += ",";
    absl::StrAppend(&out, JsonString(field->name()), ":");
    if (!field->is_repeated()) {
      out += FieldJson(message, field, 0);
      continue;
    }
    out += "[";
    for (int j = 0; j < r->FieldSize(message, field); ++j) {
      if (j > 0) out += ",";
      out += FieldJson(message, field, j);
    }
    out += "]";
  }
  return out + "}";
}

}  // namespace jscore::cli
