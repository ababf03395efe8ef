#include "config/config.h"

namespace netwarden {

bool is_group_robot(std::string_view kind) { return kind == "wecom" || kind == "dingtalk" || kind == "feishu"; }

bool is_sms(std::string_view kind) { return kind == "aliyun_sms" || kind == "tencent_sms"; }

}  // namespace netwarden
