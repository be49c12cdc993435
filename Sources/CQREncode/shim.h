// libqrencode, used only to turn a short text (an article's public URL) into QR modules.
#pragma once
#include <qrencode.h>
