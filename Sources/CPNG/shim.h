#ifndef PORTRAIT_CPNG_SHIM_H
#define PORTRAIT_CPNG_SHIM_H
#include <png.h>
#endif
