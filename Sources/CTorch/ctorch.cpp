#include "ctorch.h"
#include <ATen/ATen.h>
extern "C" const char *sz_last_error(void) { return ""; }
