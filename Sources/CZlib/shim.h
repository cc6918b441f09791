#ifndef PORTRAIT_CZLIB_SHIM_H
#define PORTRAIT_CZLIB_SHIM_H
#include <zlib.h>
#endif
