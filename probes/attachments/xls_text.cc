// Excel 97-2003 (BIFF) through FreeXL: every cell of every sheet, rows on
// lines and cells tab-separated, numbers as digits (number_text.h).
#include <freexl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/os_error.h"
#include "probes/attachments/extractors.h"
#include "probes/attachments/number_text.h"

namespace netwarden::attachment_detail {
namespace {

std::string cell_text(const FreeXL_CellValue& cell) {
  switch (cell.type) {
    case FREEXL_CELL_INT: return std::to_string(cell.value.int_value);
    case FREEXL_CELL_DOUBLE: return plain_double(cell.value.double_value);
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
    case FREEXL_CELL_TIME: return cell.value.text_value == nullptr ? std::string() : cell.value.text_value;
    default: return {};
  }
}

Result<void> sheet_text(const void* handle, unsigned short sheet, TextSink& sink) {
  unsigned int rows = 0;
  unsigned short columns = 0;
  if (freexl_select_active_worksheet(handle, sheet) != FREEXL_OK ||
      freexl_worksheet_dimensions(handle, &rows, &columns) != FREEXL_OK) {
    return fail("not a readable XLS: sheet " + std::to_string(sheet + 1) + " is damaged");
  }
  for (unsigned int row = 0; row < rows && !sink.full(); ++row) {
    for (unsigned short column = 0; column < columns; ++column) {
      FreeXL_CellValue cell;
      if (freexl_get_cell_value(handle, row, column, &cell) != FREEXL_OK) continue;
      sink.append(cell_text(cell));
      sink.separate('\t');
    }
    sink.separate('\n');
  }
  sink.count_part();
  return {};
}

Result<void> sheets_text(const void* handle, TextSink& sink) {
  unsigned int password = 0;
  if (freexl_get_info(handle, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK && password == FREEXL_BIFF_OBFUSCATED) {
    return fail("not inspected: the XLS needs a password");
  }
  unsigned int sheets = 0;
  if (freexl_get_info(handle, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK) {
    return fail("not a readable XLS: no sheet count");
  }
  for (unsigned int sheet = 0; sheet < sheets && !sink.full(); ++sheet) {
    if (Result<void> read = sheet_text(handle, static_cast<unsigned short>(sheet), sink); !read) return read;
  }
  return {};
}

}  // namespace

Result<void> xls_file_text(const char* path, TextSink& sink) {
  const void* handle = nullptr;
  const int rc = freexl_open(path, &handle);
  if (rc != FREEXL_OK) {
    if (handle != nullptr) freexl_close(handle);
    return fail("not a readable XLS (FreeXL error " + std::to_string(rc) + ")");
  }
  Result<void> read = sheets_text(handle, sink);
  freexl_close(handle);
  return read;
}

Result<void> xls_text(std::string_view bytes, TextSink& sink) {
  const int fd = memfd_create("netwarden-xls", MFD_CLOEXEC);
  if (fd < 0) return fail_errno("cannot make a memory file for FreeXL");
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail_errno("cannot make a memory file for FreeXL", err);
    }
    written += static_cast<std::size_t>(n);
  }
  Result<void> read = xls_file_text(("/proc/self/fd/" + std::to_string(fd)).c_str(), sink);
  ::close(fd);
  return read;
}

}  // namespace netwarden::attachment_detail
