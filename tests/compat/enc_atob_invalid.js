atob('abc!')
