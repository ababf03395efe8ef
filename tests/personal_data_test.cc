// Personal data (个人信息泄露): the validators against numbers whose check
// characters were computed independently (ISO 7064 MOD 11-2, Luhn), the
// look-alikes that must not count, masking, minimum counts and allow-lists.
#include "probes/content/personal_data.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace netwarden::content_detail {
namespace {

using namespace std::chrono_literals;
constexpr std::chrono::year_month_day kToday = 2026y / 12 / 3;

// "kind number" for each number found, as the scanner spells it.
std::vector<std::string> found(std::string_view text) {
  std::vector<std::string> out;
  for (const PersonalNumber& n : find_personal_numbers(text, kToday)) {
    out.push_back(std::string(to_string(n.kind)) + " " + n.number);
  }
  return out;
}

using Found = std::vector<std::string>;

TEST(PersonalDataTest, IdNumbersNeedTheirCheckCharacterAndABirthDate) {
  for (const char* id : {"11010519491231002X", "11010519491231002x", "440306199003071232", "320583198508154561",
                         "510107200002291013", "110105190001010036", "110105202612030015"}) {
    EXPECT_TRUE(valid_id_number(id, kToday)) << id;
  }
  for (const char* id : {
           "110105194912310022",  // check character X written as 2
           "440306199003071233",  // check digit off by one
           "110105194902310018",  // 31 February, with its check digit
           "110105189912310015",  // born 1899
           "110105202612040010",  // born tomorrow
           "910105194912310010",  // no region starts with 9
           "010105194912310018",  // nor with 0
           "11010519491231002",   // 17 characters
           "11010519491231002Y",
       }) {
    EXPECT_FALSE(valid_id_number(id, kToday)) << id;
  }
}

TEST(PersonalDataTest, IdNumbersInText) {
  EXPECT_EQ(found("身份证号：11010519491231002x，籍贯北京"), Found{"id_number 11010519491231002X"});
  EXPECT_EQ(found("证件 440306199003071232"), Found{"id_number 440306199003071232"});
  // Inside longer runs of digits: 19 and 20 digits.
  EXPECT_EQ(found("流水号 4403061990030712325"), Found{});
  EXPECT_EQ(found("流水号 94403061990030712325"), Found{});
  EXPECT_EQ(found("44030619900307123"), Found{});  // 17 digits
  // Order numbers and dates: 20261203 opens many a serial.
  EXPECT_EQ(found("订单号 202612031234567890，下单日期 20261203"), Found{});
  EXPECT_EQ(found("订单号 DD202612030000000009"), Found{});
}

// As forms, spreadsheets and Chinese input methods write them: a space or a
// full-width digit must not hide a number.
TEST(PersonalDataTest, IdNumbersInGroupsAndFullWidthDigits) {
  EXPECT_EQ(found("身份证 440306 19900307 1232。"), Found{"id_number 440306199003071232"});
  EXPECT_EQ(found("身份证 110105 1949 1231 002X"), Found{"id_number 11010519491231002X"});
  EXPECT_EQ(found("身份证 110105-19491231-002x"), Found{"id_number 11010519491231002X"});
  EXPECT_EQ(found("身份证 440306 19900307 1233"), Found{}) << "check digit off by one";
  EXPECT_EQ(found("440306 19900307 12325"), Found{}) << "a longer last group";
  EXPECT_EQ(found("身份证：４４０３０６１９９００３０７１２３２，手机：１３８１２３４５６７８"),
            (Found{"id_number 440306199003071232", "mobile_number 13812345678"}));
  EXPECT_EQ(found("１１０１０５　１９４９１２３１　００２Ｘ"), Found{"id_number 11010519491231002X"});
  EXPECT_EQ(mask_personal_numbers("张三：４４０３０６１９９００３０７１２３２。李四：440306 19900307 1232", kToday),
            "张三：440306********1232。李四：440306********1232");
}

TEST(PersonalDataTest, MobileNumbers) {
  EXPECT_EQ(found("电话13812345678"), Found{"mobile_number 13812345678"});
  EXPECT_EQ(found("+86 13912345678; 8615012345678; +86-177 1234 5678"),
            (Found{"mobile_number 13912345678", "mobile_number 15012345678", "mobile_number 17712345678"}));
  EXPECT_EQ(found("138-1234-5678 和 199 8765 4321"), (Found{"mobile_number 13812345678", "mobile_number 19987654321"}));
  // Staff lists: one per cell, separated by one space.
  EXPECT_EQ(found("13812345678 13912345678"), (Found{"mobile_number 13812345678", "mobile_number 13912345678"}));
  EXPECT_EQ(found("12345678901 11012345678 813812345678 1381234567 138-1234-56789"), Found{});
}

TEST(PersonalDataTest, BankCardsNeedLuhnAndAWordNearThem) {
  EXPECT_EQ(found("银行卡号：6222021234567890128"), Found{"bank_card 6222021234567890128"});
  EXPECT_EQ(found("Card 4367 4212 3456 7896 expires"), Found{"bank_card 4367421234567896"});
  EXPECT_EQ(found("6217001234567893 是他的工资账号"), Found{"bank_card 6217001234567893"});
  // Luhn-valid but no word near it: an order or a tracking number.
  EXPECT_EQ(found("运单 6217001234567893"), Found{});
  EXPECT_EQ(found("订单号 202612030000000009 已发货"), Found{});
  // A word near it but the check fails.
  EXPECT_EQ(found("卡号 6217001234567894"), Found{});
  // The word too far away: more than 30 characters.
  EXPECT_EQ(found("银行" + std::string(40, ' ') + "6217001234567893"), Found{});
  // An 18-digit number that passes Luhn and is a valid ID number is an ID number.
  ASSERT_TRUE(luhn_valid("310104198811200138"));
  EXPECT_EQ(found("账号 310104198811200138"), Found{"id_number 310104198811200138"});
}

TEST(PersonalDataTest, Luhn) {
  EXPECT_TRUE(luhn_valid("6228480012345678903"));
  EXPECT_FALSE(luhn_valid("6228480012345678904"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("6228-4800"));
}

TEST(PersonalDataTest, Masking) {
  EXPECT_EQ(masked(PersonalKind::id_number, "11010519491231002X"), "110105********002X");
  EXPECT_EQ(masked(PersonalKind::mobile_number, "13812345678"), "138****5678");
  EXPECT_EQ(masked(PersonalKind::bank_card, "6222021234567890128"), "622202*********0128");
  EXPECT_EQ(
      mask_personal_numbers("张三 11010519491231002X 电话 138-1234-5678，+86 13912345678，卡号 6217001234567893。"
                            "订单 202612031234567890",
                            kToday),
      "张三 110105********002X 电话 138****5678，+86 139****5678，卡号 621700******7893。订单 202612031234567890");
}

std::vector<std::string_view> views(const std::vector<std::string>& texts) {
  return std::vector<std::string_view>(texts.begin(), texts.end());
}

TEST(PersonalDataTest, FindingsCountDistinctNumbersFromTheMinimum) {
  const std::vector<std::string> texts = {
      "440306199003071232 440306199003071232 320583198508154561 卡号 6217001234567893",
      "11010519491231002X 13812345678",
  };
  std::vector<PersonalDataFinding> f = find_personal_data(views(texts), {}, kToday);
  ASSERT_EQ(f.size(), 1u);  // the card and the mobile are under 3 and 30
  EXPECT_EQ(f[0].kind, "id_number");
  EXPECT_EQ(f[0].count, 3);  // the repeated number once
  EXPECT_EQ(f[0].examples,
            (std::vector<std::string>{"440306********1232", "320583********4561", "110105********002X"}));

  f = find_personal_data(views(texts), {.min_id_numbers = 4, .min_bank_cards = 1, .min_mobile_numbers = 1}, kToday);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, "bank_card");
  EXPECT_EQ(f[0].examples, std::vector<std::string>{"621700******7893"});
  EXPECT_EQ(f[1].kind, "mobile_number");
  EXPECT_EQ(f[1].count, 1);
}

TEST(PersonalDataTest, AllowedNumbersNeverCount) {
  const std::vector<std::string> texts = {"办公室 138-1234-5678 校长 13912345678 证件 11010519491231002X"};
  const PersonalDataRules rules{.min_id_numbers = 1,
                                .min_bank_cards = 1,
                                .min_mobile_numbers = 1,
                                .allowed_numbers = {"+86 138 1234 5678", "110105-19491231-002x"}};
  std::vector<PersonalDataFinding> f = find_personal_data(views(texts), rules, kToday);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, "mobile_number");
  EXPECT_EQ(f[0].count, 1);
  EXPECT_EQ(f[0].examples, std::vector<std::string>{"139****5678"});
}

}  // namespace
}  // namespace netwarden::content_detail
