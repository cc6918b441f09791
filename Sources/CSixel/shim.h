#ifndef PORTRAIT_CSIXEL_SHIM_H
#define PORTRAIT_CSIXEL_SHIM_H
#include <sixel.h>
#endif
