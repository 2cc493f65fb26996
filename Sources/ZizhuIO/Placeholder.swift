import ZizhuCore
