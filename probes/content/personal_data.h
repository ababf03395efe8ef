// Personal data on a page (个人信息泄露): mainland resident ID numbers,
// mainland mobile numbers and bank card numbers, found in the page's texts,
// counted per kind, and masked wherever page text is kept.
//
// An ID number counts only with a valid birth date and check character
// (ISO 7064 MOD 11-2), a card number only when it passes Luhn's check and a
// word such as 卡号 or "account" is near it: order numbers, dates and
// serials must not open an incident. A number is never part of a longer run
// of digits.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "probes/content/digest_result.h"

namespace netwarden {

// How many distinct numbers of a kind make a finding, and the numbers a
// site publishes on purpose (an office telephone), compared by digits only.
struct PersonalDataRules {
  int min_id_numbers = 3;
  int min_bank_cards = 3;
  int min_mobile_numbers = 30;  // staff directories list phones on purpose
  std::vector<std::string> allowed_numbers = {};
};

namespace content_detail {

enum class PersonalKind { id_number, mobile_number, bank_card };

// "id_number", "mobile_number", "bank_card": PersonalDataFinding::kind.
std::string_view to_string(PersonalKind kind);

// One number as written: text[begin, end) is replaced when masking;
// `number` is its digits (an ID number's check character upper-cased, a
// mobile number without +86).
struct PersonalNumber {
  PersonalKind kind;
  std::size_t begin;
  std::size_t end;
  std::string number;
};

// 18 characters: region, birth date from 1900 to `today`, MOD 11-2 check.
bool valid_id_number(std::string_view id, std::chrono::year_month_day today);
bool luhn_valid(std::string_view digits);

// Every valid number in `text`, in order.
std::vector<PersonalNumber> find_personal_numbers(std::string_view text, std::chrono::year_month_day today);

// 110105********123X, 138****5678, 622202******0123.
std::string masked(PersonalKind kind, std::string_view number);

// `text` with every valid number masked.
std::string mask_personal_numbers(std::string_view text, std::chrono::year_month_day today);

// The kinds with at least their minimum of distinct numbers not allowed,
// each with up to three masked examples, over all of `texts`.
std::vector<PersonalDataFinding> find_personal_data(const std::vector<std::string_view>& texts,
                                                    const PersonalDataRules& rules, std::chrono::year_month_day today);

}  // namespace content_detail
}  // namespace netwarden
