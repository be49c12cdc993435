// The `kiosk` executable: everything lives in KioskApp so the tests build the same kiosk.
import KioskApp

KioskCommand.main()
