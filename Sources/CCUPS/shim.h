// The one door to libcups2 (CUPS 2.4): the kiosk uses only the IPP client calls.
#include <cups/cups.h>
#include <cups/ipp.h>
#include <cups/http.h>
