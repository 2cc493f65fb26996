#ifndef ZIZHU_CEXPAT_SHIM_H
#define ZIZHU_CEXPAT_SHIM_H
#include <expat.h>
#endif
