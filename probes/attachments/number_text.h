// Numbers in spreadsheet cells as digits, never in exponent form: an ID
// number or a bank card stored as a number must read as the digits a
// person typed, which the personal-data finder looks for.
#pragma once

#include <string>
#include <string_view>

namespace netwarden::attachment_detail {

// A decimal as written in a cell ("1.10105199001011234E+17",
// "1.5e-3", "42") without an exponent ("110105199001011234", "0.0015",
// "42"), by moving the decimal point in the text: no digit is changed by a
// trip through a double. Except for 17 significant digits short of the
// integer's length ("4.4030619850315085e+17"): that is the shortest text
// reading back as a double that needed all 17 (Python's repr, LibreOffice),
// and it stands for the integer the double holds (440306198503150848: an
// ID number a double holds exactly reads as it was stored), not for digits
// padded with zeros. Fewer digits (Excel's 15, openpyxl's 16) are padded:
// the rest was dropped when the number was written. Text that is not a
// decimal comes back as it is.
std::string plain_decimal(std::string_view number);

// A cell's double: an integral value as its exact digits (a number up to
// 2^53, and beyond it the integer the double holds: 18-digit ID numbers
// stored as numbers keep every digit the file kept), others in the
// shortest fixed form that reads back as the same double.
std::string plain_double(double value);

}  // namespace netwarden::attachment_detail
