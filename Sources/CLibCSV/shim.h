#ifndef ZIZHU_CLIBCSV_SHIM_H
#define ZIZHU_CLIBCSV_SHIM_H
#include <csv.h>
#endif
