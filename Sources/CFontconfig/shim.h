// fontconfig, used only to find a font with Polish (and later Ukrainian) coverage.
#pragma once
#include <fontconfig/fontconfig.h>
