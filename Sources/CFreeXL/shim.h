#ifndef ZIZHU_CFREEXL_SHIM_H
#define ZIZHU_CFREEXL_SHIM_H
#include <freexl.h>
#endif
