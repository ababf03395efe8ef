// Turning fields of the daemon's JSON results into the words a table shows.
// Missing and null fields show as "-" so a column never looks misaligned.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace netwarden {

// Strings as they are, integers in full, fractions to one decimal,
// booleans as yes/no.
std::string field_text(const boost::json::object& o, std::string_view key);

// A UTC timestamp field ("2026-11-22T13:46:23.120Z") in local time with
// offset, as people are shown times; an unparseable one is shown as sent.
std::string local_time_text(const boost::json::object& o, std::string_view key);

// What an incident is about: its target, and for an isolation breach the
// internal host, "office_net 10.20.1.5".
std::string subject_text(const boost::json::object& incident);

// The object at `key`, or an empty one when it is missing or not an object.
const boost::json::object& object_or_empty(const boost::json::object& o, std::string_view key);

// An integer field, or 0 when missing or not a whole number.
std::int64_t int_field(const boost::json::object& o, std::string_view key);

}  // namespace netwarden
