/* CZizhuSupport is header-only (include/zizhu_support.h); SwiftPM needs one source file. */
#include "zizhu_support.h"
