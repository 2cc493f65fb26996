#ifndef ZIZHU_CXLSXWRITER_SHIM_H
#define ZIZHU_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
